using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

/// <summary><c>POST /api/erp/v1/batch</c>: per-item answers, dependencies, ledger order, journal, metrics and auth.</summary>
public sealed class BatchPostingTests
{
    private const string Confirmations = "production-order-confirmations";
    private const string Movements = "goods-movements";
    private const string StockStatus = "stock-status-changes";

    [Fact]
    public async Task Batch_of_mixed_document_types_posts_each_and_answers_in_request_order()
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.PostBatchAsync(
            Simulator.Item("1", Confirmations, "b-cf", Simulator.Confirmation("4000001", 5m)),
            Simulator.Item("2", "/api/erp/v1/" + Movements, "b-gm", Simulator.GoodsMovement("4000001", "M1", 2.5m)),
            Simulator.Item("3", StockStatus, "b-ss", Simulator.StockStatusChange("M1", "B1")));
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("id").GetString()).Should().Equal("1", "2", "3");
        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 201, 201);
        var bodies = responses.Select(x => x.GetProperty("body")).ToArray();
        bodies.Select(b => b.GetProperty("documentType").GetString()).Should().Equal("PRODUCTION_ORDER_CONFIRMATION", "GOODS_MOVEMENT", "STOCK_STATUS_CHANGE");
        bodies.Select(b => b.GetProperty("idempotencyKey").GetString()).Should().Equal("b-cf", "b-gm", "b-ss");
        bodies.Select(b => b.GetProperty("documentNumber").GetString()![..2]).Should().Equal("CF", "49", "SS");
        bodies.Should().OnlyContain(b => !b.GetProperty("duplicate").GetBoolean());
        (await sim.LedgerKeysAsync()).Should().Equal("b-cf", "b-gm", "b-ss");
        var movement = (await sim.GetJsonAsync("api/erp/v1/ledger/entries?idempotencyKey=b-gm"))[0];
        movement.GetProperty("quantity").GetDecimal().Should().Be(2.5m);
        movement.GetProperty("material").GetString().Should().Be("M1");
    }

    [Fact]
    public async Task Item_bodies_are_what_the_single_endpoint_answers()
    {
        await using var sim = await Simulator.StartAsync();
        var invalid = new { plant = "P1", movementType = "261", material = "M1", orderNumber = "1", quantity = -1m, unit = "KG" };
        using var batch = await sim.PostBatchAsync(
            Simulator.Item("ok", Confirmations, "same-1", Simulator.Confirmation("4000002", 1m)),
            Simulator.Item("bad", Movements, "same-2", invalid));
        var responses = await Simulator.ResponsesAsync(batch);

        using var single = await sim.PostAsync("api/erp/v1/" + Confirmations, Simulator.Confirmation("4000002", 1m), "same-1");
        single.StatusCode.Should().Be(HttpStatusCode.OK);
        var original = responses[0].GetProperty("body").GetRawText();
        var repeat = await single.Content.ReadAsStringAsync();
        repeat.Should().Be(original.Replace("\"duplicate\":false", "\"duplicate\":true", StringComparison.Ordinal), "a posting's body is the single endpoint's PostingResponse");

        using var singleInvalid = await sim.PostAsync("api/erp/v1/" + Movements, invalid, "same-2");
        ((int)singleInvalid.StatusCode).Should().Be(responses[1].GetProperty("status").GetInt32()).And.Be(422);
        responses[1].GetProperty("body").GetRawText().Should().Be(await singleInvalid.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Duplicates_within_the_batch_and_of_an_earlier_single_posting_answer_200_with_the_original_document()
    {
        await using var sim = await Simulator.StartAsync();
        using var earlier = await sim.PostAsync("api/erp/v1/" + Confirmations, Simulator.Confirmation("4000003", 1m), "d-earlier");
        var earlierNumber = (await Simulator.JsonAsync(earlier)).GetProperty("documentNumber").GetString();

        using var r = await sim.PostBatchAsync(
            Simulator.Item("1", Confirmations, "d-earlier", Simulator.Confirmation("4000003", 1m)),
            Simulator.Item("2", Confirmations, "d-new", Simulator.Confirmation("4000003", 2m)),
            Simulator.Item("3", Confirmations, "d-new", Simulator.Confirmation("4000003", 2m)),
            Simulator.Item("4", Confirmations, "d-new", Simulator.Confirmation("4000003", 7m)));
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(200, 201, 200, 409);
        responses[0].GetProperty("body").GetProperty("duplicate").GetBoolean().Should().BeTrue();
        responses[0].GetProperty("body").GetProperty("documentNumber").GetString().Should().Be(earlierNumber);
        var newNumber = responses[1].GetProperty("body").GetProperty("documentNumber").GetString();
        responses[2].GetProperty("body").GetProperty("duplicate").GetBoolean().Should().BeTrue();
        responses[2].GetProperty("body").GetProperty("documentNumber").GetString().Should().Be(newNumber);
        responses[3].GetProperty("body").GetProperty("error").GetString().Should().Be("idempotency_key_reuse");
        responses[3].GetProperty("body").GetProperty("documentNumber").GetString().Should().Be(newNumber);
        (await sim.LedgerKeysAsync()).Should().Equal("d-earlier", "d-new");
    }

    [Fact]
    public async Task One_invalid_posting_rejects_only_itself()
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.PostBatchAsync(
            Simulator.Item("1", Confirmations, "i-1", Simulator.Confirmation("4000004", 1m)),
            Simulator.Item("2", Movements, "i-2", new { plant = "P1", movementType = "261", quantity = 1m, unit = "KG" }),
            Simulator.Item("3", Movements, "i-3", Simulator.GoodsMovement("4000004", "M1", -1m)),
            Simulator.Item("4", Movements, null, Simulator.GoodsMovement("4000004", "M1", 1m)),
            Simulator.Item("5", "purchase-orders", "i-5", Simulator.GoodsMovement("4000004", "M1", 1m)),
            Simulator.Item("6", Confirmations, "i-6", Simulator.Confirmation("4000004", 2m)));
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 400, 422, 400, 404, 201);
        responses[1].GetProperty("body").GetProperty("field").GetString().Should().Be("material");
        responses[2].GetProperty("body").GetProperty("message").GetString().Should().Contain("quantity");
        responses[3].GetProperty("body").GetProperty("field").GetString().Should().Be("Idempotency-Key");
        responses[4].GetProperty("body").GetProperty("error").GetString().Should().Be("not_found");
        (await sim.LedgerKeysAsync()).Should().Equal("i-1", "i-6");
    }

    [Fact]
    public async Task Failed_dependency_is_answered_424_without_a_document_and_independent_items_still_post()
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.PostBatchAsync(
            Simulator.Item("1", Confirmations, "dep-1", Simulator.Confirmation("4000005", -1m)),
            Simulator.Item("2", Movements, "dep-2", Simulator.GoodsMovement("4000005", "M1", 1m), "1"),
            Simulator.Item("3", Movements, "dep-3", Simulator.GoodsMovement("4000005", "M2", 1m), "2"),
            Simulator.Item("4", Confirmations, "dep-4", Simulator.Confirmation("4000006", 1m)),
            Simulator.Item("5", Movements, "dep-5", Simulator.GoodsMovement("4000006", "M1", 1m), "4"),
            Simulator.Item("6", Movements, "dep-6", Simulator.GoodsMovement("4000006", "M1", 2m), "4", "1"));
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(422, 424, 424, 201, 201, 424);
        var failed = responses[1].GetProperty("body");
        failed.GetProperty("error").GetString().Should().Be("failed_dependency");
        failed.GetProperty("message").GetString().Should().Be("request 1 did not succeed");
        responses[2].GetProperty("body").GetProperty("message").GetString().Should().Be("request 2 did not succeed");
        responses[5].GetProperty("body").GetProperty("message").GetString().Should().Be("request 1 did not succeed");
        (await sim.LedgerKeysAsync()).Should().Equal("dep-4", "dep-5");
    }

    [Fact]
    public async Task Dependency_on_an_invalid_item_is_424_even_when_nothing_in_the_batch_is_written()
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.PostBatchAsync(
            Simulator.Item("a", Movements, "n-1", Simulator.GoodsMovement("4000007", "M1", 0m)),
            Simulator.Item("b", Movements, null, Simulator.GoodsMovement("4000007", "M1", 1m), "a"));
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal([422, 424], "the dependency is checked before the item's own key");
        (await sim.LedgerKeysAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Payload_mismatch_409_fails_its_dependents()
    {
        await using var sim = await Simulator.StartAsync();
        (await sim.PostAsync("api/erp/v1/" + Confirmations, Simulator.Confirmation("4000008", 1m), "m-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        using var r = await sim.PostBatchAsync(
            Simulator.Item("cf", Confirmations, "m-1", Simulator.Confirmation("4000008", 9m)),
            Simulator.Item("gm", Movements, "m-2", Simulator.GoodsMovement("4000008", "M1", 1m), "cf"),
            Simulator.Item("other", Movements, "m-3", Simulator.GoodsMovement("4000008", "M1", 1m)));
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(409, 424, 201);
        responses[0].GetProperty("body").GetProperty("error").GetString().Should().Be("idempotency_key_reuse");
        responses[1].GetProperty("body").GetProperty("message").GetString().Should().Be("request cf did not succeed");
        (await sim.LedgerKeysAsync()).Should().Equal("m-1", "m-3");
    }

    [Fact]
    public async Task Sequence_numbers_follow_request_order()
    {
        await using var sim = await Simulator.StartAsync();
        (await sim.PostAsync("api/erp/v1/" + Confirmations, Simulator.Confirmation("4000009", 1m), "seq-first")).StatusCode.Should().Be(HttpStatusCode.Created);
        string[] keys = ["seq-z", "seq-a", "seq-m", "seq-b"];
        using var r = await sim.PostBatchAsync([.. keys.Select((k, i) => Simulator.Item($"{i}", Confirmations, k, Simulator.Confirmation("4000009", i + 1m)))]);
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("body").GetProperty("sequence").GetInt64()).Should().Equal(2, 3, 4, 5);
        var order = await sim.GetJsonAsync("api/erp/v1/ledger/orders/4000009");
        order.EnumerateArray().Select(e => e.GetProperty("idempotencyKey").GetString()).Should().Equal(["seq-first", .. keys]);
        order.EnumerateArray().Select(e => e.GetProperty("sequence").GetInt64()).Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Journal_has_one_entry_per_item_with_its_path_key_and_status()
    {
        await using var sim = await Simulator.StartAsync();
        using var r = await sim.PostBatchAsync(
            Simulator.Item("1", Confirmations, "j-1", Simulator.Confirmation("4000010", 1m)),
            Simulator.Item("2", "/api/erp/v1/" + Movements, "j-2", Simulator.GoodsMovement("4000010", "M1", -1m)),
            Simulator.Item("3", StockStatus, "j-3", Simulator.StockStatusChange("M1", "B1"), "2"),
            Simulator.Item("4", Confirmations, "j-1", Simulator.Confirmation("4000010", 1m)));
        (await Simulator.ResponsesAsync(r)).Should().HaveCount(4);

        var journal = (await sim.GetJsonAsync("admin/requests")).EnumerateArray()
            .Select(e => (e.GetProperty("path").GetString(), e.GetProperty("idempotencyKey").GetString(), e.GetProperty("status").GetInt32())).ToList();
        journal.Should().Equal(
            ("/api/erp/v1/production-order-confirmations", "j-1", 201),
            ("/api/erp/v1/goods-movements", "j-2", 422),
            ("/api/erp/v1/stock-status-changes", "j-3", 424),
            ("/api/erp/v1/production-order-confirmations", "j-1", 200));
    }

    [Fact]
    public async Task Items_are_counted_per_endpoint_and_status_and_the_batch_size_is_recorded()
    {
        var postings = new List<(string? Endpoint, string? Status)>();
        var sizes = new List<(long Size, string? Status)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "MesErpStreams.ErpSimulator" && instrument.Name is "meserp.erp_sim.requests" or "meserp.erp_sim.batch.size")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? endpoint = null, status = null;
            foreach (var t in tags)
            {
                endpoint = t.Key == "endpoint" ? t.Value as string : endpoint;
                status = t.Key == "status" ? t.Value as string : status;
            }

            lock (postings)
            {
                if (instrument.Name == "meserp.erp_sim.batch.size")
                {
                    sizes.Add((value, status));
                }
                else
                {
                    postings.Add((endpoint, status));
                }
            }
        });
        listener.Start();

        await using var sim = await Simulator.StartAsync();
        var id = Guid.NewGuid().ToString("N");
        using var r = await sim.PostBatchAsync(
            Simulator.Item("1", Movements, $"{id}-1", Simulator.GoodsMovement("4000011", "M1", 1m)),
            Simulator.Item("2", Movements, $"{id}-2", Simulator.GoodsMovement("4000011", "M1", 1m)),
            Simulator.Item("3", StockStatus, $"{id}-3", Simulator.StockStatusChange("M1", "B1", "HOLD")),
            Simulator.Item("4", StockStatus, $"{id}-4", Simulator.StockStatusChange("M1", "B1")),
            Simulator.Item("5", StockStatus, $"{id}-5", Simulator.StockStatusChange("M1", "B1")),
            Simulator.Item("6", StockStatus, $"{id}-6", Simulator.StockStatusChange("M1", "B1")),
            Simulator.Item("7", StockStatus, $"{id}-7", Simulator.StockStatusChange("M1", "B1")));
        (await Simulator.ResponsesAsync(r)).Should().HaveCount(7);

        lock (postings)
        {
            // Other tests may run simulators in this process: a batch of 7 is this test's only one.
            sizes.Should().ContainSingle(s => s.Size == 7).Which.Status.Should().Be("200");
            postings.Count(p => p == ("goods-movements", "201")).Should().BeGreaterThanOrEqualTo(2);
            postings.Should().Contain(("stock-status-changes", "422"));
        }
    }

    [Fact]
    public async Task Bearer_token_is_required_for_batches_when_configured()
    {
        await using var sim = await Simulator.StartAsync(o => o.BearerToken = "s3cret");
        var item = Simulator.Item("1", Confirmations, "auth-1", Simulator.Confirmation("4000012", 1m));
        using var anonymous = await sim.PostBatchAsync(item);
        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        sim.Http.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret");
        (await sim.LedgerKeysAsync()).Should().BeEmpty();
        using var ok = await sim.PostBatchAsync(item);
        (await Simulator.ResponsesAsync(ok)).Single().GetProperty("status").GetInt32().Should().Be(201);
    }

    [Fact]
    public async Task Configured_idempotency_header_is_matched_case_insensitively_inside_items()
    {
        await using var sim = await Simulator.StartAsync(o => o.IdempotencyHeader = "X-Request-Key");
        using var r = await sim.PostRawBatchAsync("""
            {"requests":[
              {"id":"1","method":"post","url":"goods-movements","headers":{"x-request-KEY":"h-1"},
               "body":{"plant":"P100","movementType":"311","material":"M9","quantity":3,"unit":"KG"}},
              {"id":"2","method":"POST","url":"goods-movements","headers":{"Idempotency-Key":"h-2"},
               "body":{"plant":"P100","movementType":"311","material":"M9","quantity":3,"unit":"KG"}}]}
            """);
        var responses = await Simulator.ResponsesAsync(r);

        responses.Select(x => x.GetProperty("status").GetInt32()).Should().Equal(201, 400);
        responses[1].GetProperty("body").GetProperty("field").GetString().Should().Be("X-Request-Key");
        (await sim.LedgerKeysAsync()).Should().Equal("h-1");
    }

    [Fact]
    public async Task Concurrent_batches_with_the_same_keys_create_one_document_per_key()
    {
        await using var sim = await Simulator.StartAsync();
        object[] items = [.. Enumerable.Range(0, 20).Select(i => Simulator.Item($"{i}", Confirmations, $"cc-{i}", Simulator.Confirmation("4000013", i + 1m)))];
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => sim.PostBatchAsync(items)));
        var statuses = new List<int>();
        foreach (var a in answers)
        {
            statuses.AddRange((await Simulator.ResponsesAsync(a)).Select(x => x.GetProperty("status").GetInt32()));
            a.Dispose();
        }

        statuses.Count(s => s == 201).Should().Be(20);
        statuses.Count(s => s == 200).Should().Be(100);
        (await sim.LedgerKeysAsync()).Should().HaveCount(20).And.OnlyHaveUniqueItems();
    }
}
