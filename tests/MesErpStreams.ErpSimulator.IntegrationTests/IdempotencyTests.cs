using System.Net;

namespace MesErpStreams.ErpSimulator.IntegrationTests;

public sealed class IdempotencyTests
{
    private const string Confirmations = "api/erp/v1/production-order-confirmations";

    [Fact]
    public async Task First_posting_creates_a_document_and_a_repeat_returns_the_original_as_duplicate()
    {
        await using var sim = await Simulator.StartAsync();
        using var first = await sim.PostAsync(Confirmations, Simulator.Confirmation("1000001", 5m), "k-1");
        first.StatusCode.Should().Be(HttpStatusCode.Created);
        var doc = await Simulator.JsonAsync(first);
        doc.GetProperty("duplicate").GetBoolean().Should().BeFalse();
        var number = doc.GetProperty("documentNumber").GetString();
        number.Should().StartWith("CF");

        using var again = await sim.PostAsync(Confirmations, Simulator.Confirmation("1000001", 5m), "k-1");
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        again.Headers.GetValues("X-Erp-Duplicate").Should().Equal("true");
        var dup = await Simulator.JsonAsync(again);
        dup.GetProperty("duplicate").GetBoolean().Should().BeTrue();
        dup.GetProperty("documentNumber").GetString().Should().Be(number);
        (await sim.GetJsonAsync("api/erp/v1/ledger/entries")).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_create_exactly_one_document()
    {
        await using var sim = await Simulator.StartAsync();
        var tasks = Enumerable.Range(0, 24).Select(_ => sim.PostAsync(Confirmations, Simulator.Confirmation("1000002", 2m), "same-key")).ToArray();
        var responses = await Task.WhenAll(tasks);
        var numbers = new List<string>();
        foreach (var r in responses)
        {
            r.StatusCode.Should().BeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
            numbers.Add((await Simulator.JsonAsync(r)).GetProperty("documentNumber").GetString()!);
            r.Dispose();
        }

        responses.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(1);
        numbers.Distinct().Should().ContainSingle();
        (await sim.GetJsonAsync("api/erp/v1/ledger/entries")).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Reusing_a_key_for_different_content_is_a_conflict_without_a_new_document()
    {
        await using var sim = await Simulator.StartAsync();
        (await sim.PostAsync(Confirmations, Simulator.Confirmation("1000003", 1m), "k-3")).StatusCode.Should().Be(HttpStatusCode.Created);
        using var conflict = await sim.PostAsync(Confirmations, Simulator.Confirmation("1000003", 9m), "k-3");
        conflict.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await Simulator.JsonAsync(conflict)).GetProperty("error").GetString().Should().Be("idempotency_key_reuse");
        (await sim.GetJsonAsync("api/erp/v1/ledger/entries")).GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Ledger_survives_a_restart_and_keeps_deduplicating()
    {
        var path = Path.Combine(Path.GetTempPath(), "erpsim-restart-" + Guid.NewGuid().ToString("N") + ".db");
        string number;
        await using (var sim = await Simulator.StartAsync(o => o.LedgerPath = path))
        {
            using var r = await sim.PostAsync(Confirmations, Simulator.Confirmation("1000004", 1m), "k-4");
            number = (await Simulator.JsonAsync(r)).GetProperty("documentNumber").GetString()!;
        }

        await using (var sim = await Simulator.StartAsync(o => o.LedgerPath = path))
        {
            using var r = await sim.PostAsync(Confirmations, Simulator.Confirmation("1000004", 1m), "k-4");
            r.StatusCode.Should().Be(HttpStatusCode.OK);
            (await Simulator.JsonAsync(r)).GetProperty("documentNumber").GetString().Should().Be(number);
        }

        File.Delete(path);
    }
}
