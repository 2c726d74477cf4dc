using System.CommandLine;

namespace MesErpStreams.Observability.UnitTests;

public sealed class CommandOptionsTests
{
    [Fact]
    public void Without_a_port_and_default_no_endpoint_is_configured()
    {
        var (metrics, cmd) = Create(defaultPort: null);
        metrics.Bind(cmd.Parse([])).Should().BeNull();
    }

    [Fact]
    public void Port_and_host_are_bound()
    {
        var (metrics, cmd) = Create(defaultPort: 9464);
        metrics.Bind(cmd.Parse([]))!.Port.Should().Be(9464);
        var bound = metrics.Bind(cmd.Parse(["--metrics-port", "0", "--metrics-host", "0.0.0.0"]))!;
        bound.Port.Should().Be(0);
        bound.Host.Should().Be("0.0.0.0");
    }

    [Theory]
    [InlineData("--metrics-port", "70000")]
    [InlineData("--metrics-host", "not-an-ip")]
    public void Bad_values_are_errors_naming_the_option(string option, string value)
    {
        var (_, cmd) = Create(defaultPort: null);
        var parse = cmd.Parse([option, value]);
        parse.Errors.Should().ContainSingle().Which.Message.Should().Contain(option);
    }

    [Fact]
    public async Task The_endpoint_starts_from_the_command_line()
    {
        var (metrics, cmd) = Create(defaultPort: null);
        await using var endpoint = await metrics.StartAsync(cmd.Parse(["--metrics-port", "0"]), null, CancellationToken.None);
        endpoint.Should().NotBeNull();
        using var http = new HttpClient();
        (await http.GetAsync(endpoint!.MetricsUrl)).IsSuccessStatusCode.Should().BeTrue();
    }

    private static (MetricsCommandOptions Metrics, Command Command) Create(int? defaultPort)
    {
        var metrics = new MetricsCommandOptions(defaultPort);
        var cmd = new Command("process");
        metrics.AddTo(cmd);
        return (metrics, cmd);
    }
}
