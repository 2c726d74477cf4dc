using System.Diagnostics;
using System.Diagnostics.Metrics;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.Pipeline;
using MesErpStreams.Pipeline.Engine;
using MesErpStreams.Pipeline.Hosting;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;
using MesErpStreams.SchemaRegistry.Server;
using Microsoft.Extensions.Logging;
using T = MesErpStreams.Pipeline.PipelineTopology.Topics;

// One embedded cluster with the topic catalog applied and one embedded schema registry; ProductionConfirmation events
// (registry Avro, 1 in 10 a redelivery of an earlier event id) on mes.events.production-confirmations, with the
// master data of every order. Consumed (by separate groups) by:
// (a) a raw exactly-once passthrough written directly against Confluent.Kafka (consume, produce the same bytes,
//     commit in transactions every 100 ms or 10,000 records), the ceiling;
// (c) Streamiz.Kafka.Net copying the same bytes, exactly once, commit interval 100 ms: the engine's own ceiling;
// (b) `meserp process`'s topology on Streamiz.Kafka.Net: decode, validate, dedupe in the RocksDB key-value store
//     (change-logged), enrichment lookups in the two in-memory global tables, map, encode the command with its
//     headers; exactly once, commit interval 100 ms.
// A run ends when the group's committed offsets reach the end of the input. Each side runs three times, interleaved;
// the best run counts (the machine is shared; the best run is the one least disturbed).
// Arguments (all optional, in order): records (100,000), brokers (3), stream threads of (b) (1), commit interval of
// (b) in ms (100).
const int Runs = 3;
var records = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var brokers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
var threads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
var commitMs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 100;
using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = brokers });
await new EmbeddedTopicProvisioner(cluster).ApplyAsync(TopicCatalog.Default);
var partitions = TopicCatalog.Default.Topics.Single(t => t.Name == T.ProductionConfirmations).Partitions;
await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { BootstrapServers = cluster.BootstrapServers, CreateTopic = false });
using var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url });
await ContractSchemaRegistration.RegisterAllAsync(client);
Console.WriteLine($"embedded cluster of {brokers} broker(s), librdkafka {EmbeddedKafkaCluster.NativeVersion}; {records:N0} ProductionConfirmation events on {partitions} partitions");
var input = await Input.ProduceAsync(cluster.BootstrapServers, client, records);

// librdkafka's own client logs are left out: the admin client Streamiz 1.8.2 creates for its global thread is never
// disposed, outlives the instance and reports "connection refused" once the cluster is gone, after the last line,
// which must be the ratio.
using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
    .AddFilter("Streamiz.Kafka.Net.Kafka.KafkaLoggerAdapter", LogLevel.None));
var passthrough = new List<TimeSpan>();
var enginePassthrough = new List<TimeSpan>();
var streamiz = new List<TimeSpan>();
for (var run = 0; run < Runs; run++)
{
    passthrough.Add(Passthrough.Run(cluster, records, $"bench-pt{run}"));
    enginePassthrough.Add(await StreamizPassthrough.RunAsync(cluster, input, $"bench-szpt{run}", loggers));
    streamiz.Add(await RunStreamizAsync($"bench-sz{run}"));
    Console.WriteLine($"run {run + 1}: passthrough {Rate(passthrough[^1]),9:N0}/s, Streamiz passthrough {Rate(enginePassthrough[^1]),9:N0}/s, pipeline on Streamiz {Rate(streamiz[^1]),9:N0}/s");
}

var ceiling = Rate(passthrough.Min());
Console.WriteLine($"(a) raw EOS passthrough (best of {Runs}):                        {ceiling,10:N0} records/s");
Console.WriteLine($"(c) Streamiz passthrough, exactly once (best of {Runs}):          {Rate(enginePassthrough.Min()),10:N0} records/s");
Console.WriteLine($"(b) pipeline topology on Streamiz, exactly once (best of {Runs}): {Rate(streamiz.Min()),10:N0} records/s");
Console.WriteLine($"engine share: Streamiz passthrough/raw passthrough {Rate(enginePassthrough.Min()) / ceiling:0.00}, pipeline/Streamiz passthrough {Rate(streamiz.Min()) / Rate(enginePassthrough.Min()):0.00}");
Console.WriteLine($"ratio runtime/passthrough: {Rate(streamiz.Min()) / ceiling:0.00}");

double Rate(TimeSpan elapsed) => records / elapsed.TotalSeconds;

async Task<TimeSpan> RunStreamizAsync(string app)
{
    foreach (var store in StreamizTopology.ChangelogStores)
    {
        cluster.CreateTopic(StreamizTopology.ChangelogTopic(app, store), partitions);
    }

    var stateDir = Path.Combine(Path.GetTempPath(), "meserp-bench-" + Guid.NewGuid().ToString("N"));
    long? first = null;
    using var listener = new MeterListener();
    listener.InstrumentPublished = (instrument, l) =>
    {
        if (instrument.Meter.Name == "MesErpStreams.Streams" && instrument.Name == "meserp.streams.records.consumed")
        {
            l.EnableMeasurementEvents(instrument);
        }
    };
    listener.SetMeasurementEventCallback<long>((_, _, _, _) => first ??= Stopwatch.GetTimestamp());
    listener.Start();
    try
    {
        using (var processor = new StreamizPipeline(RegistrySerdes.Codecs(client, new AvroSerializerConfig()), new PipelineOptions(),
            new StreamizPipelineOptions(app, cluster.BootstrapServers, new Dictionary<string, string>(), stateDir, TimeSpan.FromMilliseconds(commitMs)) { StreamThreads = threads }, loggers))
        {
            await processor.StartAsync(CancellationToken.None);
            var end = await Committed.WaitForAsync(cluster.BootstrapServers, app, input, processor.Failed, TimeSpan.FromMinutes(5));
            return Stopwatch.GetElapsedTime(first ?? throw new InvalidOperationException("no record was consumed"), end);
        }
    }
    finally
    {
        if (Directory.Exists(stateDir))
        {
            Directory.Delete(stateDir, recursive: true);
        }
    }
}
