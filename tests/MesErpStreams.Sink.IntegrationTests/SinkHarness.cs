using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using MesErpStreams.Contracts.Common;
using MesErpStreams.Contracts.Erp;
using MesErpStreams.ErpSimulator;
using MesErpStreams.Sink.Erp;
using MesErpStreams.TestUtils;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Sink.IntegrationTests;

/// <summary>Topics of one test, a simulator over real HTTP, sink workers, a command producer and a results/DLQ reader.</summary>
internal sealed class SinkHarness : IAsyncDisposable
{
    private readonly EmbeddedKafkaFixture _kafka;
    private readonly List<(ErpSinkService Sink, HttpErpClient Client)> _sinks = [];
    private readonly IProducer<string, byte[]> _producer;
    private readonly string _ledgerDir;

    private SinkHarness(EmbeddedKafkaFixture kafka, ErpSimulatorHost sim, int partitions, string ledgerDir)
    {
        _ledgerDir = ledgerDir;
        _kafka = kafka;
        Simulator = sim;
        Http = new HttpClient { BaseAddress = sim.BaseAddress };
        Options = new ErpSinkOptions
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = EmbeddedKafkaFixture.UniqueName("sink"),
            CommandsTopic = kafka.CreateTopic("cmd", partitions),
            RetryTopics = [kafka.CreateTopic("r1", partitions), kafka.CreateTopic("r2", partitions), kafka.CreateTopic("r3", partitions)],
            RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3)],
            DeadLetterTopic = kafka.CreateTopic("dlq", 1),
            ResultsTopic = kafka.CreateTopic("res", partitions),
            RequestsPerSecond = 200,
            BreakerBreakDuration = TimeSpan.FromSeconds(1),
            CommitInterval = TimeSpan.FromMilliseconds(200),
            // A killed member holds its partitions for its session: keep the tests that kill sinks short.
            Consumer = new() { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" },
        };
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build();
    }

    public static ILoggerFactory Logs { get; } = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(Environment.GetEnvironmentVariable("SINK_TEST_DEBUG") is null ? LogLevel.Information : LogLevel.Debug));

    public ErpSimulatorHost Simulator { get; }

    public HttpClient Http { get; }

    public ErpSinkOptions Options { get; }

    public static async Task<SinkHarness> StartAsync(EmbeddedKafkaFixture kafka, int partitions = 3, Action<ErpSimulatorOptions>? sim = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "sink-it-" + Guid.NewGuid().ToString("N"));
        var o = new ErpSimulatorOptions { Port = 0, LedgerPath = Path.Combine(dir, "ledger.db") };
        sim?.Invoke(o);
        var host = await ErpSimulatorHost.StartAsync(o, l => l.SetMinimumLevel(LogLevel.Warning));
        return new SinkHarness(kafka, host, partitions, dir);
    }

    /// <summary>Starts a sink worker; <paramref name="maxBatchSize"/> 1 makes every posting its own ERP call (tests that count calls).</summary>
    public async Task<ErpSinkService> StartSinkAsync(Func<ErpPostingCommand, ErpPostingOutcome, Task>? afterErpCall = null, TimeSpan? erpTimeout = null,
        IAsyncDeserializer<ErpPostingCommand>? deserializer = null, IAsyncSerializer<PostingResult>? serializer = null, int? maxBatchSize = null,
        Func<HttpErpClient, IErpClient>? wrap = null)
    {
        var client = new HttpErpClient(new HttpErpClientOptions
        {
            BaseAddress = Simulator.BaseAddress, Timeout = erpTimeout ?? TimeSpan.FromSeconds(5), MaxBatchSize = maxBatchSize ?? new HttpErpClientOptions().MaxBatchSize,
        });
        var serde = new TestSerde();
        var sink = new ErpSinkService(Options, wrap?.Invoke(client) ?? client, deserializer ?? serde, serializer ?? serde, Logs.CreateLogger<ErpSinkService>()) { AfterErpCall = afterErpCall };
        _sinks.Add((sink, client));
        await sink.StartAsync(CancellationToken.None);
        return sink;
    }

    public static ErpPostingCommand Confirmation(string order, int seq, decimal yield = 1m, string? runId = null) => new()
    {
        IdempotencyKey = $"{runId}{order}-{seq}",
        CommandType = ErpCommandType.OrderConfirmation,
        SourceEventIds = [Guid.NewGuid()],
        Plant = "P100",
        OrderKey = order,
        CreatedAt = DateTimeOffset.UtcNow,
        Trace = new TraceContext { Traceparent = $"00-{Guid.NewGuid():N}-{seq + 1:x16}-01" }, // W3C: a parent id of all zeros is invalid
        OrderConfirmation = new OrderConfirmation
        {
            OrderNumber = order,
            Operation = "0010",
            WorkCenter = "WC1",
            YieldQuantity = yield,
            ScrapQuantity = 0m,
            Unit = "PC",
            FinalConfirmation = false,
            PostingDate = new DateOnly(2026, 11, 22),
        },
    };

    /// <summary>Produces the commands with the processor's headers; <paramref name="acceptedAt"/>/<paramref name="occurredAt"/> set its latency headers.</summary>
    public async Task ProduceAsync(IEnumerable<ErpPostingCommand> commands, DateTimeOffset? acceptedAt = null, DateTimeOffset? occurredAt = null)
    {
        foreach (var c in commands)
        {
            // The processor's headers: trace context and lineage (source event ids, idempotency key).
            var headers = new Headers
            {
                { "traceparent", System.Text.Encoding.UTF8.GetBytes(c.Trace!.Traceparent!) },
                { SinkHeaders.IdempotencyKey, System.Text.Encoding.UTF8.GetBytes(c.IdempotencyKey) },
            };
            foreach (var id in c.SourceEventIds)
            {
                headers.Add(SinkHeaders.EventId, System.Text.Encoding.UTF8.GetBytes(id.ToString()));
            }

            foreach (var (name, at) in (ReadOnlySpan<(string, DateTimeOffset?)>)[(SinkHeaders.AcceptedAt, acceptedAt), (SinkHeaders.OccurredAt, occurredAt)])
            {
                if (at is { } t)
                {
                    headers.Add(name, System.Text.Encoding.UTF8.GetBytes(t.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }

            await _producer.ProduceAsync(Options.CommandsTopic, new Message<string, byte[]> { Key = c.OrderKey, Value = TestSerde.Commands.Encode(c), Headers = headers });
        }
    }

    public List<ConsumeResult<string, byte[]>> ReadAll(string topic, int expected, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _kafka.BootstrapServers,
            GroupId = EmbeddedKafkaFixture.UniqueName("reader"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var list = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + timeout;
        while (list.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } r)
            {
                list.Add(r);
            }
        }

        consumer.Close();
        return list;
    }

    /// <summary>Reads the results topic until results for <paramref name="expected"/> distinct commands arrived; returns all results read.</summary>
    public async Task<List<PostingResult>> WaitForResultsAsync(int expected, TimeSpan timeout) =>
        await Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
            {
                BootstrapServers = _kafka.BootstrapServers,
                GroupId = EmbeddedKafkaFixture.UniqueName("results"),
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
            }).Build();
            consumer.Subscribe(Options.ResultsTopic);
            var all = new List<PostingResult>();
            var keys = new HashSet<string>();
            var deadline = DateTime.UtcNow + timeout;
            while (keys.Count < expected)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {expected} posting results (got {keys.Count}: {string.Join(", ", keys.Order())})");
                }

                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } r)
                {
                    var result = TestSerde.Results.Decode(r.Message.Value);
                    all.Add(result);
                    keys.Add(result.IdempotencyKey);
                }
            }

            // Let late duplicates arrive too, so tests can assert there are none.
            var quiet = DateTime.UtcNow + TimeSpan.FromMilliseconds(500);
            while (DateTime.UtcNow < quiet)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } r)
                {
                    all.Add(TestSerde.Results.Decode(r.Message.Value));
                }
            }

            consumer.Close();
            return all;
        });

    public async Task<List<(string Key, string Order, long Sequence, string Document)>> LedgerAsync()
    {
        var json = await Http.GetFromJsonAsync<JsonElement>("api/erp/v1/ledger/entries");
        return json.EnumerateArray().Select(e => (e.GetProperty("idempotencyKey").GetString()!, e.GetProperty("sequenceKey").GetString()!,
            e.GetProperty("sequence").GetInt64(), e.GetProperty("documentNumber").GetString()!)).ToList();
    }

    public async Task<List<(DateTimeOffset At, string? Key, int Status)>> JournalAsync()
    {
        var json = await Http.GetFromJsonAsync<JsonElement>("admin/requests");
        return json.EnumerateArray().Select(e => (e.GetProperty("receivedAt").GetDateTimeOffset(),
            e.TryGetProperty("idempotencyKey", out var k) ? k.GetString() : null, e.GetProperty("status").GetInt32())).ToList();
    }

    /// <summary>Asserts exactly one document per command and, per order, documents in command order.</summary>
    public async Task AssertLedgerMatchesAsync(IReadOnlyList<ErpPostingCommand> commands)
    {
        var ledger = await LedgerAsync();
        ledger.Select(l => l.Key).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(commands.Select(c => c.IdempotencyKey), "one document per command");
        foreach (var order in commands.GroupBy(c => c.OrderKey))
        {
            ledger.Where(l => l.Order == order.Key).OrderBy(l => l.Sequence).Select(l => l.Key)
                .Should().Equal(order.Select(c => c.IdempotencyKey), $"order {order.Key} must be posted in command order");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (sink, client) in _sinks)
        {
            try
            {
                await sink.StopAsync(CancellationToken.None);
            }
            catch (InvalidOperationException)
            {
                // a sink a test crashed on purpose
            }

            sink.Dispose();
            client.Dispose();
        }

        _producer.Dispose();
        Http.Dispose();
        await Simulator.DisposeAsync();
        try
        {
            Directory.Delete(_ledgerDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // never created
        }
    }
}
