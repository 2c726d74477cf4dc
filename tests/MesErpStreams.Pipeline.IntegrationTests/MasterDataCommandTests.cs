using MesErpStreams.TestUtils;

namespace MesErpStreams.Pipeline.IntegrationTests;

/// <summary><c>meserp master-data publish|show</c> (first plant trial: master data could only come from the simulator).</summary>
public sealed class MasterDataCommandTests : IAsyncLifetime
{
    private EmbeddedPlatform _platform = null!;

    public async Task InitializeAsync() => _platform = await EmbeddedPlatform.StartAsync();

    public async Task DisposeAsync() => await _platform.DisposeAsync();

    [Fact]
    public async Task Master_data_published_from_json_lines_is_shown_as_the_pipeline_holds_it_and_a_bad_line_is_named()
    {
        var file = Path.Combine(_platform.StateDirectory, "master.jsonl");
        Directory.CreateDirectory(_platform.StateDirectory);
        await File.WriteAllLinesAsync(file,
        [
            """{"type":"Material","materialNumber":"FG-100","plant":"1000","baseUnit":"PC","batchManaged":true,"changedAt":"2026-12-07T06:00:00Z"}""",
            """{"type":"WorkOrder","orderNumber":"41000001","plant":"1000","material":"FG-100","plannedQuantity":100,"plannedUnit":"PC","status":"released","operations":[{"operationNumber":"0010","workCenter":"WC-10","costCenter":"CC-4711"}],"receivingStorageLocation":"FG01","changedAt":"2026-12-07T06:00:00Z"}""",
            """{"type":"WorkOrder","orderNumber":"41000002","plant":"1000","plannedQuantity":5,"plannedUnit":"PC","status":"RELEASED","operations":[],"receivingStorageLocation":"FG01","changedAt":"2026-12-07T06:00:00Z"}""",
        ]);
        string[] connection = ["--bootstrap-servers", _platform.BootstrapServers, "--schema-registry-url", _platform.RegistryUrl];

        var publish = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), ["master-data", "publish", file, .. connection]);

        publish.ExitCode.Should().Be(1, publish.Stderr);
        publish.Stdout.Should().Contain("material 1000/FG-100 -> erp.master.materials[").And.Contain("work order 1000/41000001 -> erp.master.work-orders[");
        publish.Stderr.Should().Contain("line 3: rejected: missing required field(s): 'material'").And.NotContain("MesErpStreams.").And.Contain("published 2 record(s), rejected 1 line(s)");

        var order = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), ["master-data", "show", "--order", "1000/41000001", .. connection]);
        order.ExitCode.Should().Be(0, order.Stderr);
        order.Stdout.Should().StartWith("""{"type":"WorkOrder","orderNumber":"41000001","plant":"1000","material":"FG-100","plannedQuantity":100.000000,""")
            .And.Contain("\"status\":\"RELEASED\"").And.Contain("\"costCenter\":\"CC-4711\"");

        var missing = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), ["master-data", "show", "--material", "1000/NOPE", .. connection]);
        missing.ExitCode.Should().Be(1);
        missing.Stderr.Should().Contain("1000/NOPE is not on erp.master.materials");
    }
}
