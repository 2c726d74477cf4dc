using System.Net;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

public sealed class ValidationAndQueryTests
{
    [Fact]
    public async Task Missing_fields_and_bad_values_are_rejected_with_a_message_naming_the_field()
    {
        await using var sim = await Simulator.StartAsync();
        using var missing = await sim.PostAsync("api/erp/v1/goods-movements", new { plant = "P1", movementType = "261", quantity = 1m, unit = "KG" }, "g-1");
        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Simulator.JsonAsync(missing)).GetProperty("field").GetString().Should().Be("material");

        using var negative = await sim.PostAsync("api/erp/v1/goods-movements",
            new { plant = "P1", movementType = "261", material = "M1", orderNumber = "1", quantity = -1m, unit = "KG" }, "g-2");
        negative.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await Simulator.JsonAsync(negative)).GetProperty("message").GetString().Should().Contain("quantity");

        using var noKey = await sim.PostAsync("api/erp/v1/production-order-confirmations", Simulator.Confirmation("1", 1m), key: null);
        noKey.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await sim.GetJsonAsync("api/erp/v1/ledger/entries")).GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task Ledger_queries_return_order_sequence_totals_and_delete_removes_an_entry()
    {
        await using var sim = await Simulator.StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            (await sim.PostAsync("api/erp/v1/production-order-confirmations", Simulator.Confirmation("2000001", 1.5m * i), $"o-{i}"))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await sim.PostAsync("api/erp/v1/stock-status-changes", new { plant = "P100", material = "M1", batch = "B1", action = "BLOCK" }, "s-1"))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var order = await sim.GetJsonAsync("api/erp/v1/ledger/orders/2000001");
        order.EnumerateArray().Select(e => e.GetProperty("idempotencyKey").GetString()).Should().Equal("o-1", "o-2", "o-3");
        order.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).Should().Equal(1, 2, 3);

        var totals = await sim.GetJsonAsync("api/erp/v1/ledger/totals?plant=P100");
        var confirmations = totals.EnumerateArray().Single(t => t.GetProperty("documentType").GetString() == "PRODUCTION_ORDER_CONFIRMATION");
        confirmations.GetProperty("documents").GetInt64().Should().Be(3);
        confirmations.GetProperty("quantity").GetDecimal().Should().Be(9.0m);

        (await sim.GetJsonAsync("api/erp/v1/ledger/entries?idempotencyKey=s-1")).GetArrayLength().Should().Be(1);
        using var del = await sim.Http.DeleteAsync("admin/ledger/entries?idempotencyKey=o-2");
        del.StatusCode.Should().Be(HttpStatusCode.OK);
        (await sim.GetJsonAsync("api/erp/v1/ledger/orders/2000001")).GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task Deleting_a_ledger_entry_returns_it_then_404_and_needs_the_admin_token()
    {
        await using var sim = await Simulator.StartAsync(o => { o.BearerToken = "api-token"; o.AdminToken = "admin-token"; }, clientToken: "api-token");
        (await sim.PostAsync("api/erp/v1/production-order-confirmations", Simulator.Confirmation("3000001", 4.25m), "OC-lost"))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        (await sim.PostAsync("api/erp/v1/production-order-confirmations", Simulator.Confirmation("3000001", 1m), "OC-kept"))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        using (var withApiToken = await sim.Http.DeleteAsync("admin/ledger/entries?idempotencyKey=OC-lost"))
        {
            withApiToken.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "deleting is an admin operation");
        }

        sim.Http.DefaultRequestHeaders.Authorization = new("Bearer", "admin-token");
        using var noKey = await sim.Http.DeleteAsync("admin/ledger/entries");
        noKey.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        using var deleted = await sim.Http.DeleteAsync("admin/ledger/entries?idempotencyKey=OC-lost");
        deleted.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await Simulator.JsonAsync(deleted);
        body.GetProperty("idempotencyKey").GetString().Should().Be("OC-lost");
        body.GetProperty("quantity").GetDecimal().Should().Be(4.25m);
        body.GetProperty("documentNumber").GetString().Should().StartWith("CF");
        using var again = await sim.Http.DeleteAsync("admin/ledger/entries?idempotencyKey=OC-lost");
        again.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Simulator.JsonAsync(again)).GetProperty("error").GetString().Should().Be("not_found");

        sim.Http.DefaultRequestHeaders.Authorization = new("Bearer", "api-token");
        var left = await sim.GetJsonAsync("api/erp/v1/ledger/entries");
        left.EnumerateArray().Select(e => e.GetProperty("idempotencyKey").GetString()).Should().Equal("OC-kept");
    }

    [Fact]
    public async Task Bearer_token_is_required_when_configured_and_health_stays_open()
    {
        await using var sim = await Simulator.StartAsync(o => o.BearerToken = "s3cret");
        using var anonymous = await sim.PostAsync("api/erp/v1/production-order-confirmations", Simulator.Confirmation("3", 1m), "a-1");
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await sim.Http.GetAsync("health")).StatusCode.Should().Be(HttpStatusCode.OK);

        sim.Http.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        (await sim.Http.GetAsync("api/erp/v1/ledger/totals")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        sim.Http.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret");
        using var ok = await sim.PostAsync("api/erp/v1/production-order-confirmations", Simulator.Confirmation("3", 1m), "a-1");
        ok.StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
