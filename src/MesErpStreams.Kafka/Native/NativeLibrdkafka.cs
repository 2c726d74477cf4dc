using System.Reflection;
using System.Runtime.InteropServices;
using MesErpStreams.Kafka.Embedded.Internal;

namespace MesErpStreams.Kafka.Native;

/// <summary>
/// The native librdkafka this process runs on: which file, which build, and whether it is the one
/// <c>make setup</c> built (see README, Prerequisites). Every Kafka client (Confluent.Kafka) and the embedded cluster
/// load the same file: the <c>runtimes/linux-x64/native/librdkafka.so</c> asset of the <c>librdkafka.redist</c>
/// package pinned in Directory.Packages.props, which only setup's local feed serves.
/// </summary>
public static class NativeLibrdkafka
{
    /// <summary>The library name both Confluent.Kafka and our P/Invoke declarations resolve.</summary>
    public const string LibraryName = "librdkafka";

    /// <summary>Entry points of librdkafka's mock cluster that <see cref="Embedded.EmbeddedKafkaCluster"/> calls.</summary>
    public static IReadOnlyList<string> MockClusterExports { get; } =
    [
        "rd_kafka_mock_cluster_new", "rd_kafka_mock_cluster_destroy", "rd_kafka_mock_cluster_bootstraps",
        "rd_kafka_mock_topic_create", "rd_kafka_mock_broker_set_down", "rd_kafka_mock_broker_set_up",
        "rd_kafka_mock_broker_set_rtt", "rd_kafka_mock_broker_set_host_port", "rd_kafka_mock_push_request_errors_array",
        "rd_kafka_mock_clear_request_errors", "rd_kafka_mock_group_initial_rebalance_delay_ms",
        "rd_kafka_mock_partition_set_leader", "rd_kafka_mock_coordinator_set",
    ];

    /// <summary>
    /// The build identity <c>make setup</c> compiled into the library (<c>rd_kafka_version_str()</c>), e.g.
    /// <c>2.15.1-meserp.6</c>: the <c>LibrdkafkaBuildId</c> property of Directory.Packages.props at build time.
    /// </summary>
    public static string ExpectedBuildId { get; } =
        typeof(NativeLibrdkafka).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "LibrdkafkaBuildId")?.Value ?? "unknown";

    /// <summary>
    /// <c>rd_kafka_version_str()</c> of the loaded library: the official packages answer the plain version
    /// (<c>2.15.1</c>), the setup build <see cref="ExpectedBuildId"/>.
    /// </summary>
    /// <exception cref="DllNotFoundException">The library or one of its dependencies cannot be loaded.</exception>
    public static string VersionString => Marshal.PtrToStringUTF8(NativeMethods.rd_kafka_version_str()) ?? "unknown";

    /// <summary>
    /// Loads the library the way the program resolves it (the application's deps.json native assets, then the
    /// system) and describes it. Throws <see cref="DllNotFoundException"/> when it cannot be loaded; the message
    /// names each path tried and the loader's reason (a missing dependency such as <c>libsasl2.so.3</c>).
    /// </summary>
    public static NativeLibraryInfo Describe()
    {
        var handle = NativeLibrary.Load(LibraryName, typeof(NativeLibrdkafka).Assembly, null);
        var missing = MockClusterExports.Where(e => !NativeLibrary.TryGetExport(handle, e, out _)).ToArray();
        var images = LoadedImages();
        return new NativeLibraryInfo(images.Count == 1 ? images[0] : null, images, VersionString, ExpectedBuildId, missing);
    }

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> unless the loaded library is the setup build
    /// (<see cref="ExpectedBuildId"/>) and the only librdkafka image mapped into the process.
    /// </summary>
    public static void EnsureExpectedBuild()
    {
        NativeLibraryInfo info;
        try
        {
            info = Describe();
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException($"native librdkafka cannot be loaded (run `make setup`): {e.Message}", e);
        }

        if (info.Problem is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    /// <summary>
    /// Every librdkafka file mapped into this process, read from <c>/proc/self/maps</c> (empty where that file does
    /// not exist). More than one means two copies of the library with separate state, which must never happen.
    /// </summary>
    public static IReadOnlyList<string> LoadedImages()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return [];
        }

        var images = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(maps))
        {
            // address perms offset dev inode pathname — the path is everything from the first '/'.
            var slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }

            var path = line[slash..];
            if (Path.GetFileName(path).Contains(LibraryName, StringComparison.Ordinal) && path.Contains(".so", StringComparison.Ordinal))
            {
                images.Add(path.EndsWith(" (deleted)", StringComparison.Ordinal) ? path[..^10] : path);
            }
        }

        return [.. images];
    }
}
