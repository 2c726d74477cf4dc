using System.Text.RegularExpressions;
using Confluent.Kafka;
using MesErpStreams.Kafka.Native;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

/// <summary>
/// The native librdkafka the tests run on is the one <c>make setup</c> built (setup issue): never an official
/// librdkafka.redist that a NuGet source or the global packages folder happened to hold.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class NativeLibraryTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public void Loaded_librdkafka_is_the_build_setup_made()
    {
        NativeLibrdkafka.ExpectedBuildId.Should().MatchRegex(@"^\d+\.\d+\.\d+-meserp\.\d+$", "Directory.Packages.props names the build");
        int.Parse(NativeLibrdkafka.ExpectedBuildId[(NativeLibrdkafka.ExpectedBuildId.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeGreaterThanOrEqualTo(2, "patch level 2 carries the mock's transactional offsets and read_committed filtering (0002-mock-transactions.patch)");
        var info = NativeLibrdkafka.Describe();

        info.VersionString.Should().Be(NativeLibrdkafka.ExpectedBuildId, "rd_kafka_version_str() answers the id compiled in by setup");
        info.MissingMockExports.Should().BeEmpty();
        info.Problem.Should().BeNull();
        info.Path.Should().NotBeNull().And.EndWith("librdkafka.so");
        var packageVersion = Regex.Replace(NativeLibrdkafka.ExpectedBuildId, @"^(\d+\.\d+\.\d+)-meserp\.(\d+)$", "$1.$2-meserp");
        File.ReadAllBytes(info.Path!).Should().Equal(
            LocalFeedLibrary(packageVersion),
            "the loaded file is byte for byte the one setup packed into the local feed");
    }

    [Fact]
    public void Kafka_clients_and_the_embedded_cluster_share_one_librdkafka()
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();

        Library.VersionString.Should().Be(NativeLibrdkafka.ExpectedBuildId, "Confluent.Kafka loaded the setup build");
        NativeLibrdkafka.LoadedImages().Should().ContainSingle("one copy of librdkafka serves every client and the embedded cluster");
    }

    private static byte[] LocalFeedLibrary(string packageVersion)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MesErpStreams.sln")))
        {
            dir = dir.Parent;
        }

        dir.Should().NotBeNull("the tests run inside the repository");
        var nupkg = Path.Combine(dir!.FullName, ".nuget", "local-feed", $"librdkafka.redist.{packageVersion}.nupkg");
        File.Exists(nupkg).Should().BeTrue($"setup packs {nupkg}");
        using var zip = System.IO.Compression.ZipFile.OpenRead(nupkg);
        using var library = zip.GetEntry("runtimes/linux-x64/native/librdkafka.so")!.Open();
        using var bytes = new MemoryStream();
        library.CopyTo(bytes);
        return bytes.ToArray();
    }
}
