using MesErpStreams.Kafka.Native;

namespace MesErpStreams.Kafka.UnitTests;

public sealed class NativeLibraryInfoTests
{
    private const string Path = "/pkgs/librdkafka.redist/2.15.1.1-meserp/runtimes/linux-x64/native/librdkafka.so";

    [Fact]
    public void The_setup_build_alone_has_no_problem() =>
        new NativeLibraryInfo(Path, [Path], "2.15.1-meserp.1", "2.15.1-meserp.1", []).Problem.Should().BeNull();

    [Fact]
    public void An_official_library_is_named_with_its_path_and_version()
    {
        const string official = "/pkgs/librdkafka.redist/2.15.1/runtimes/linux-x64/native/librdkafka.so";
        var problem = new NativeLibraryInfo(official, [official], "2.15.1", "2.15.1-meserp.1", []).Problem;

        problem.Should().Contain(official).And.Contain("'2.15.1'").And.Contain("2.15.1-meserp.1").And.Contain("make setup");
    }

    [Fact]
    public void Two_copies_in_one_process_are_a_problem()
    {
        const string centos = "/pkgs/librdkafka.redist/2.15.1/runtimes/linux-x64/native/centos8-librdkafka.so";
        var problem = new NativeLibraryInfo(null, [centos, Path], "2.15.1-meserp.1", "2.15.1-meserp.1", []).Problem;

        problem.Should().Contain("2 copies").And.Contain(centos).And.Contain(Path);
    }

    [Fact]
    public void A_library_without_the_mock_api_is_a_problem() =>
        new NativeLibraryInfo(Path, [Path], "2.15.1-meserp.1", "2.15.1-meserp.1", ["rd_kafka_mock_cluster_new"]).Problem
            .Should().Contain("rd_kafka_mock_cluster_new");
}
