namespace MesErpStreams.Kafka.Native;

/// <summary>What <see cref="NativeLibrdkafka.Describe"/> found.</summary>
/// <param name="Path">The librdkafka file the process mapped; null when not exactly one is mapped.</param>
/// <param name="Images">Every librdkafka file mapped into the process.</param>
/// <param name="VersionString"><c>rd_kafka_version_str()</c> of the loaded library.</param>
/// <param name="ExpectedBuildId">The build identity setup compiled in (see <see cref="NativeLibrdkafka.ExpectedBuildId"/>).</param>
/// <param name="MissingMockExports">Mock-cluster entry points the library does not export.</param>
public sealed record NativeLibraryInfo(
    string? Path,
    IReadOnlyList<string> Images,
    string VersionString,
    string ExpectedBuildId,
    IReadOnlyList<string> MissingMockExports)
{
    /// <summary>
    /// Why this is not the library the product expects (wrong build, several copies, mock API missing), or null
    /// when it is.
    /// </summary>
    public string? Problem
    {
        get
        {
            var where = Path ?? (Images.Count == 0 ? "(path unknown)" : string.Join(", ", Images));
            if (Images.Count > 1)
            {
                return $"{Images.Count} copies of librdkafka are loaded in one process ({where}); clients and the embedded cluster must share one.";
            }

            if (!string.Equals(VersionString, ExpectedBuildId, StringComparison.Ordinal))
            {
                return $"the process loaded librdkafka '{VersionString}' from {where}, not the build '{ExpectedBuildId}' that `make setup` "
                    + "makes (an official librdkafka.redist needs RHEL's libsasl2.so.3 and lacks the embedded cluster's patches); run `make setup`.";
            }

            return MissingMockExports.Count > 0
                ? $"librdkafka at {where} does not export the mock-cluster API ({string.Join(", ", MissingMockExports)})."
                : null;
        }
    }
}
