using MesErpStreams.Kafka.Configuration;
using Microsoft.Extensions.Configuration;

namespace MesErpStreams.Kafka.UnitTests;

public sealed class KafkaClientOptionsTests
{
    [Fact]
    public void Binds_bootstrap_servers_and_passthrough_properties_from_configuration()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "b1:9092,b2:9092",
            ["Kafka:Properties:security.protocol"] = "SASL_SSL",
            ["Kafka:Properties:sasl.password"] = "s3cret",
        }).Build();
        var o = KafkaClientOptions.FromConfiguration(config);
        o.Validate();
        var producer = o.ToProducerConfig([new("acks", "all")]);
        producer.BootstrapServers.Should().Be("b1:9092,b2:9092");
        producer.Get("security.protocol").Should().Be("SASL_SSL");
        producer.Get("acks").Should().Be("all");
        o.ToConsumerConfig("g").GroupId.Should().Be("g");
    }

    [Fact]
    public void Secrets_are_masked_in_the_redacted_view()
    {
        var o = new KafkaClientOptions { BootstrapServers = "b:1", Properties = { ["sasl.password"] = "s3cret", ["ssl.key.password"] = "k", ["client.id"] = "x" } };
        var r = o.Redacted();
        r["sasl.password"].Should().Be("***");
        r["ssl.key.password"].Should().Be("***");
        r["client.id"].Should().Be("x");
        r.Values.Should().NotContain("s3cret");
    }

    [Theory]
    [InlineData("", "BootstrapServers")]
    [InlineData("host", "'host' is not host:port")]
    [InlineData("host:0", "'host:0' is not host:port")]
    [InlineData("a:1,b", "'b' is not host:port")]
    public void Invalid_bootstrap_servers_are_rejected_naming_the_setting(string servers, string expected)
    {
        var act = () => new KafkaClientOptions { BootstrapServers = servers }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void Bootstrap_servers_in_properties_are_rejected()
    {
        var act = () => new KafkaClientOptions { BootstrapServers = "a:1", Properties = { ["bootstrap.servers"] = "x:1" } }.Validate();
        act.Should().Throw<ArgumentException>().WithMessage("*Kafka:BootstrapServers*");
    }
}
