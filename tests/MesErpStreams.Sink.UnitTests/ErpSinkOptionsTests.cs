namespace MesErpStreams.Sink.UnitTests;

public sealed class ErpSinkOptionsTests
{
    [Fact]
    public void Defaults_with_bootstrap_servers_are_valid()
    {
        var act = () => new ErpSinkOptions { BootstrapServers = "localhost:9092" }.Validate();
        act.Should().NotThrow();
    }

    [Theory]
    [InlineData("BootstrapServers")]
    [InlineData("RetryDelays")]
    [InlineData("MaxConcurrency")]
    [InlineData("RequestsPerSecond")]
    [InlineData("RetryTopics")]
    [InlineData("MaxCallsInFlight")]
    [InlineData("BatchSize")]
    [InlineData("BatchLinger")]
    public void Invalid_values_are_rejected_naming_the_option(string option)
    {
        var o = new ErpSinkOptions { BootstrapServers = "localhost:9092" };
        switch (option)
        {
            case "BootstrapServers": o.BootstrapServers = ""; break;
            case "RetryDelays": o.RetryDelays = [TimeSpan.FromSeconds(1)]; break;
            case "MaxConcurrency": o.MaxConcurrency = 0; break;
            case "RequestsPerSecond": o.RequestsPerSecond = -1; break;
            case "RetryTopics": o.RetryTopics = ["a", "a", "b"]; break;
            case "MaxCallsInFlight": o.MaxCallsInFlight = 0; break;
            case "BatchSize": o.BatchSize = 0; break;
            case "BatchLinger": o.BatchLinger = TimeSpan.FromMilliseconds(-1); break;
        }

        var act = o.Validate;
        act.Should().Throw<ArgumentException>().WithMessage($"*{option}*");
    }
}
