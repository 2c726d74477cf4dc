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
    [InlineData("BreakerConsecutiveFailures")]
    [InlineData("BreakerBreakDuration")]
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
            case "BreakerConsecutiveFailures": o.BreakerConsecutiveFailures = 0; break;
            case "BreakerBreakDuration": o.BreakerBreakDuration = TimeSpan.Zero; break;
        }

        var act = o.Validate;
        act.Should().Throw<ArgumentException>().WithMessage($"*{option}*");
    }

    [Fact]
    public void A_second_sink_group_on_the_catalogs_retry_tiers_is_refused_naming_both_groups()
    {
        // What broke (first plant trial): `meserp sink --group other` re-read the first group's retry tiers, copied its
        // parked commands again, and the first sink then got 27 DUPLICATE answers from the ERP.
        var other = () => new ErpSinkOptions { BootstrapServers = "localhost:9092", GroupId = "other" }.Validate();
        other.Should().Throw<ArgumentException>()
            .WithMessage("Sink:RetryTopics erp.posting-commands.retry-1, erp.posting-commands.retry-2, erp.posting-commands.retry-3 belong to the sink group 'meserp-sink'; group 'other'*tiers of its own*");

        var own = () => new ErpSinkOptions
        {
            BootstrapServers = "localhost:9092", GroupId = "other", RetryTopics = ["other.retry-1", "other.retry-2", "other.retry-3"],
        }.Validate();
        own.Should().NotThrow("a second group with tiers of its own is fine");
    }
}
