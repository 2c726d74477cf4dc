using MesErpStreams.Kafka.Embedded;

namespace MesErpStreams.Kafka.UnitTests;

public sealed class EmbeddedKafkaClusterOptionsTests
{
    [Theory]
    [InlineData(0, null, "BrokerCount")]
    [InlineData(11, null, "BrokerCount")]
    [InlineData(3, 80, "PortBase")]
    [InlineData(3, 65534, "PortBase")]
    public void Out_of_range_options_are_rejected_naming_the_option(int brokers, int? portBase, string name)
    {
        var act = () => new EmbeddedKafkaClusterOptions { BrokerCount = brokers, PortBase = portBase }.Validate();
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(name);
    }
}
