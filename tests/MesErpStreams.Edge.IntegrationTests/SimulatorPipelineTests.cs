using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Pipeline;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Edge.IntegrationTests;

public sealed class SimulatorPipelineTests : EdgeClusterTest
{
    [Fact]
    public async Task Processor_turns_a_simulated_run_into_exactly_the_expected_commands()
    {
        await using var processor = MeserpProcess.Start("process", "--bootstrap-servers", Kafka.Cluster.BootstrapServers,
            "--schema-registry-url", Kafka.Registry.Url, "--state-dir", Path.Combine(Dir, "state"), "--pending-timeout", "2m");
        var summaryFile = Path.Combine(Dir, "summary.json");
        var (exit, stdout, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(120), "edge", "simulate",
            "--bootstrap-servers", Kafka.Cluster.BootstrapServers, "--schema-registry-url", Kafka.Registry.Url,
            "--seed", "1234", "--max-events", "800", "--rate", "0", "--duplicate-rate", "0.05", "--invalid-rate", "0.03",
            "--late-master-data-rate", "0.3", "--out-of-order-rate", "0.1", "--hold-rate", "0.3", "--summary-json", summaryFile);
        exit.Should().Be(0, stderr);
        stdout.Should().Contain("events_published=").And.Contain("duplicates_sent=").And.Contain("invalid_sent=");

        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(summaryFile));
        var expectedKeys = summary.RootElement.GetProperty("expected_idempotency_keys").EnumerateArray().Select(k => k.GetString()!).ToList();
        var invalidSent = summary.RootElement.GetProperty("invalid_sent").GetInt64();
        summary.RootElement.GetProperty("duplicates_sent").GetInt64().Should().BePositive();
        invalidSent.Should().BePositive();

        // The same seed computed in-process gives the same expectation (determinism across processes).
        var local = new MesSimulator(new MesSimulatorOptions
        {
            Seed = 1234, MaxEvents = 800, EventsPerSecond = 0, DuplicateRate = 0.05, InvalidRate = 0.03, LateMasterDataRate = 0.3, OutOfOrderRate = 0.1, HoldRate = 0.3,
        });
        MesSimulator.ComputeExpected(local.Generate()).IdempotencyKeys.Should().BeEquivalentTo(expectedKeys);

        using var consumer = new ConsumerBuilder<string, ErpPostingCommand>(new ConsumerConfig
        {
            BootstrapServers = Kafka.Cluster.BootstrapServers, GroupId = EmbeddedKafkaFixture.UniqueName("sim-verify"),
            AutoOffsetReset = AutoOffsetReset.Earliest, IsolationLevel = IsolationLevel.ReadCommitted, EnableAutoCommit = false,
        }).SetValueDeserializer(new AvroDeserializer<ErpPostingCommand>(Kafka.Client, ErpPostingCommand.Schema).AsSyncOverAsync()).Build();
        consumer.Subscribe(PipelineTopology.Topics.PostingCommands);
        using var dlq = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Kafka.Cluster.BootstrapServers, GroupId = EmbeddedKafkaFixture.UniqueName("sim-dlq"),
            AutoOffsetReset = AutoOffsetReset.Earliest, IsolationLevel = IsolationLevel.ReadCommitted, EnableAutoCommit = false,
        }).Build();
        dlq.Subscribe(PipelineTopology.Topics.EventsDeadLetter);
        var keys = new List<string>();
        var deadLetters = new List<string>();
        await Eventually.TrueAsync(() =>
        {
            while (consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } r)
            {
                keys.Add(r.Message.Value.IdempotencyKey);
            }

            while (dlq.Consume(TimeSpan.FromMilliseconds(50)) is { } r)
            {
                deadLetters.Add(Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(PipelineHeaders.Reason)));
            }

            return processor.HasExited || (keys.Count >= expectedKeys.Count && deadLetters.Count >= invalidSent);
        }, TimeSpan.FromSeconds(120), "every expected command and dead letter");
        processor.HasExited.Should().BeFalse(processor.Stderr);

        keys.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expectedKeys);
        deadLetters.Should().HaveCount((int)invalidSent);
    }
}
