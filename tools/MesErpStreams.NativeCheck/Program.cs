using System.Diagnostics;
using Confluent.Kafka;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Native;

// Exit codes: 0 the library is the setup build and works; 1 it is not, with the reason on stderr.
return NativeCheck.Run();

/// <summary>The setup self-check; see the project file.</summary>
internal static class NativeCheck
{
    public static int Run()
    {
        NativeLibraryInfo info;
        try
        {
            info = NativeLibrdkafka.Describe();
        }
        catch (DllNotFoundException e)
        {
            Fail($"native librdkafka cannot be loaded: {e.Message}");
            foreach (var candidate in Candidates())
            {
                var missing = MissingDependencies(candidate);
                Console.Error.WriteLine(missing.Count == 0
                    ? $"[native-check]   {candidate}: ldd finds all dependencies"
                    : $"[native-check]   {candidate}: missing {string.Join(", ", missing)}");
            }

            return 1;
        }

        var path = info.Path ?? "(unknown path)";
        Say($"librdkafka {info.VersionString} at {path}");
        if (info.Path is not null && MissingDependencies(info.Path) is { Count: > 0 } absent)
        {
            return Fail($"{info.Path} is missing shared libraries: {string.Join(", ", absent)}");
        }

        if (info.Problem is { } problem)
        {
            return Fail(problem);
        }

        Say($"build {info.VersionString} as expected; mock-cluster API: {NativeLibrdkafka.MockClusterExports.Count} entry points exported");
        try
        {
            var elapsed = RoundTrip();
            var images = NativeLibrdkafka.LoadedImages();
            if (images.Count != 1)
            {
                return Fail($"after the Kafka clients started, {images.Count} librdkafka files are mapped: {string.Join(", ", images)}");
            }

            Say($"one-broker embedded cluster: produced and consumed 1 record in {elapsed.TotalMilliseconds:F0} ms; one librdkafka in the process");
        }
        catch (Exception e) when (e is KafkaException or EmbeddedKafkaException or TimeoutException)
        {
            return Fail($"embedded cluster round trip with {path} failed: {e.Message}");
        }

        Say("OK");
        return 0;
    }

    private static TimeSpan RoundTrip()
    {
        var watch = Stopwatch.StartNew();
        using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions { BrokerCount = 1 });
        cluster.CreateTopic("native-check", 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            producer.ProduceAsync("native-check", new Message<Null, string> { Value = "ping" }).GetAwaiter().GetResult();
        }

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "native-check",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("native-check");
        var record = consumer.Consume(TimeSpan.FromSeconds(20))
            ?? throw new TimeoutException("no record consumed within 20 s");
        consumer.Close();
        if (record.Message.Value != "ping")
        {
            throw new TimeoutException($"consumed '{record.Message.Value}' instead of 'ping'");
        }

        return watch.Elapsed;
    }

    // Where the runtime looks for "librdkafka": the native asset directories of the deps.json.
    private static IEnumerable<string> Candidates() =>
        ((AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "librdkafka.so"))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal);

    private static List<string> MissingDependencies(string library)
    {
        var psi = new ProcessStartInfo("ldd", [library]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var ldd = Process.Start(psi) ?? throw new InvalidOperationException("cannot start ldd");
        var output = ldd.StandardOutput.ReadToEnd();
        ldd.WaitForExit();
        return output.Split('\n')
            .Where(l => l.Contains("not found", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[0])
            .ToList();
    }

    private static void Say(string message) => Console.WriteLine("[native-check] " + message);

    private static int Fail(string message)
    {
        Console.Error.WriteLine("[native-check] FAILED: " + message);
        return 1;
    }
}
