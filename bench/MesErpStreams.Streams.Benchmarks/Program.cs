using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Streams;
using MesErpStreams.Streams.Benchmarks;
using MesErpStreams.Streams.State;

// One embedded cluster, one input topic, consumed (by separate groups) by:
// (a) a raw exactly-once passthrough written directly against Confluent.Kafka (consume, produce the same bytes,
//     commit in transactions every 100 ms or 10,000 records), the ceiling;
// (b) the streams runtime with a stateful processor: Avro decode, dedupe-store lookup and write (change-logged,
//     7-day retention), Avro encode, same commit settings; once with the SQLite store, once with the in-memory one.
// Each is run three times, interleaved, and the best run counts (the machine is shared; the best run is the one
// least disturbed). The mock cluster keeps only 100,000 messages per partition: 3 x 50,000 input records, and
// every run writes to its own output topics.
const int Partitions = 3;
const int Runs = 3;
// Arguments: [records, default 150,000] [brokers, default 3 like the test fixtures; 1 puts every partition on one
// mock broker thread, which speeds the passthrough up far more than the runtime].
var records = args.Length > 0 ? int.Parse(args[0]) : 150_000;
var brokers = args.Length > 1 ? int.Parse(args[1]) : 3;
using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = brokers });
var bootstrap = cluster.BootstrapServers;
cluster.CreateTopic("bench-in", Partitions);
cluster.CreateTopic("bench-dlq", 1);
Console.WriteLine($"embedded cluster of {brokers} broker(s) {bootstrap}, librdkafka {EmbeddedKafkaCluster.NativeVersion}; producing {records:N0} Avro events to {Partitions} partitions");
ProduceInput(bootstrap, records);

var passthrough = new List<TimeSpan>();
var sqlite = new List<TimeSpan>();
var memory = new List<TimeSpan>();
for (var run = 0; run < Runs; run++)
{
    passthrough.Add(RunPassthrough(cluster, records, $"pt{run}"));
    sqlite.Add(await RunRuntimeAsync(cluster, records, $"rts{run}", persistent: true));
    memory.Add(await RunRuntimeAsync(cluster, records, $"rtm{run}", persistent: false));
    Console.WriteLine($"run {run + 1}: passthrough {Rate(passthrough[^1]),9:N0}/s, runtime+SQLite {Rate(sqlite[^1]),9:N0}/s, runtime+in-memory {Rate(memory[^1]),9:N0}/s");
}

var ceiling = Rate(passthrough.Min());
Console.WriteLine($"(a) raw EOS passthrough (best of {Runs}):                    {ceiling,10:N0} records/s");
Console.WriteLine($"(b) runtime, Avro + in-memory dedupe + Avro (best of {Runs}): {Rate(memory.Min()),10:N0} records/s, ratio {Rate(memory.Min()) / ceiling:0.00}");
Console.WriteLine($"(b) runtime, Avro + SQLite dedupe + Avro (best of {Runs}):    {Rate(sqlite.Min()),10:N0} records/s");
Console.WriteLine($"ratio runtime/passthrough: {Rate(sqlite.Min()) / ceiling:0.00}");

double Rate(TimeSpan elapsed) => records / elapsed.TotalSeconds;

static void ProduceInput(string bootstrap, int records)
{
    var codec = MesErpStreams.Avro.AvroCodec.For<BenchEvent>(BenchSchemas.Event);
    using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrap, EnableIdempotence = true, LingerMs = 20, BatchNumMessages = 10_000,
    }).Build();
    var start = new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    for (var i = 0; i < records; i++)
    {
        // Every tenth event repeats an earlier id (a redelivery the dedupe must drop).
        var id = i % 10 == 9 ? i - 5 : i;
        var order = $"WO-{id % 5000:D6}";
        var e = new BenchEvent($"ev-{id:D9}", "P100", order, "0010", 12.5m + (id % 7), "EA", start.AddMilliseconds(i), i);
        while (true)
        {
            try
            {
                producer.Produce("bench-in", new Message<string, byte[]> { Key = $"P100|{order}", Value = codec.Encode(e), Timestamp = new Timestamp(e.OccurredAt) });
                break;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    if (producer.Flush(TimeSpan.FromSeconds(60)) != 0)
    {
        throw new InvalidOperationException("input not delivered");
    }
}

static TimeSpan RunPassthrough(EmbeddedKafkaCluster cluster, int records, string name)
{
    var bootstrap = cluster.BootstrapServers;
    cluster.CreateTopic(name + "-out", 3);
    using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrap, GroupId = name, EnableAutoCommit = false, EnableAutoOffsetStore = false,
        IsolationLevel = IsolationLevel.ReadCommitted, AutoOffsetReset = AutoOffsetReset.Earliest,
    }).Build();
    using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
    {
        BootstrapServers = bootstrap, TransactionalId = name + "-tx", EnableIdempotence = true, Acks = Acks.All,
    }).Build();
    producer.InitTransactions(TimeSpan.FromSeconds(30));
    consumer.Subscribe("bench-in");
    var next = new Dictionary<TopicPartition, long>();
    var consumed = 0;
    var uncommitted = 0;
    var inTransaction = false;
    Stopwatch? clock = null;
    var lastCommit = Stopwatch.StartNew();
    while (consumed < records || uncommitted > 0)
    {
        var cr = consumer.Consume(TimeSpan.FromMilliseconds(100));
        if (cr is { IsPartitionEOF: false })
        {
            clock ??= Stopwatch.StartNew();
            if (!inTransaction)
            {
                producer.BeginTransaction();
                inTransaction = true;
            }

            while (true)
            {
                try
                {
                    producer.Produce(name + "-out", new Message<byte[], byte[]> { Key = cr.Message.Key, Value = cr.Message.Value, Headers = cr.Message.Headers, Timestamp = cr.Message.Timestamp });
                    break;
                }
                catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }

            next[cr.TopicPartition] = cr.Offset.Value + 1;
            consumed++;
            uncommitted++;
        }

        if (inTransaction && (uncommitted >= 10_000 || lastCommit.Elapsed >= TimeSpan.FromMilliseconds(100) || consumed >= records))
        {
            producer.SendOffsetsToTransaction(next.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value)), consumer.ConsumerGroupMetadata, TimeSpan.FromSeconds(30));
            producer.CommitTransaction(TimeSpan.FromSeconds(30));
            inTransaction = false;
            uncommitted = 0;
            lastCommit.Restart();
        }
    }

    var elapsed = clock!.Elapsed;
    consumer.Close();
    return elapsed;
}

static async Task<TimeSpan> RunRuntimeAsync(EmbeddedKafkaCluster cluster, int records, string app, bool persistent)
{
    var bootstrap = cluster.BootstrapServers;
    cluster.CreateTopic(app + "-out", 3);
    cluster.CreateTopic(app + "-seen-changelog", 3);
    var topology = new TopologyBuilder()
        .AddSource("events", Serdes.String, BenchSchemas.Serde<BenchEvent>(BenchSchemas.Event), "bench-in")
        .AddProcessor("dedupe", () => new DedupeAndMap("seen"), "events")
        .AddSink("commands", app + "-out", Serdes.String, BenchSchemas.Serde<BenchCommand>(BenchSchemas.Command), "dedupe")
        .AddStateStore((!persistent ? Stores.InMemory("seen", Serdes.String, Serdes.Boolean) : Stores.Persistent("seen", Serdes.String, Serdes.Boolean)).WithRetention(TimeSpan.FromDays(7)), "dedupe")
        .Build();
    var stateDir = Path.Combine(Path.GetTempPath(), "meserp-bench-" + Guid.NewGuid().ToString("N"));
    long consumed = 0;
    Stopwatch? clock = null;
    var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
    using var listener = new MeterListener();
    listener.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == StreamsMetricNames.MeterName
            && instrument.Name is StreamsMetricNames.RecordsConsumed or StreamsMetricNames.TransactionsCommitted or StreamsMetricNames.CommitDuration or StreamsMetricNames.ProcessDuration)
        {
            l.EnableMeasurementEvents(instrument);
        }
    };
    listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
    {
        if (instrument.Name == StreamsMetricNames.RecordsConsumed)
        {
            clock ??= Stopwatch.StartNew();
            consumed += value;
        }
        else if (consumed >= records)
        {
            done.TrySetResult(clock!.Elapsed);
        }
    });
    double commitSeconds = 0, processSeconds = 0;
    long commits = 0;
    listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
    {
        if (instrument.Name == StreamsMetricNames.CommitDuration)
        {
            commitSeconds += value;
            commits++;
        }
        else
        {
            processSeconds += value;
        }
    });
    listener.Start();
    await using (var instance = new StreamsInstance(
        topology,
        new StreamsOptions { ApplicationId = app, BootstrapServers = bootstrap, StateDirectory = stateDir, InstanceId = "bench" },
        new DeadLetterOptions { Topic = "bench-dlq" }))
    {
        instance.Start();
        var finished = await Task.WhenAny(done.Task, instance.Completion, Task.Delay(TimeSpan.FromMinutes(5)));
        if (finished != done.Task)
        {
            throw new InvalidOperationException($"runtime did not finish: state {instance.State}, consumed {consumed}", instance.FatalError);
        }
    }

    if (Directory.Exists(stateDir))
    {
        Directory.Delete(stateDir, recursive: true);
    }
    var elapsed = await done.Task;
    Console.WriteLine($"    {app}: {elapsed.TotalSeconds:0.00} s = {commits} commits {commitSeconds:0.00} s + processing {processSeconds:0.00} s + polling/other {elapsed.TotalSeconds - commitSeconds - processSeconds:0.00} s");
    return elapsed;
}
