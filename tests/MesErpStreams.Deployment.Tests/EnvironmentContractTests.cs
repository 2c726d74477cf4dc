namespace MesErpStreams.Deployment.Tests;

/// <summary>The contract the artifact tests apply: it accepts what the code reads and rejects what it ignores.</summary>
public sealed class EnvironmentContractTests
{
    [Theory]
    [InlineData("process", "MESERP_Kafka__BootstrapServers", "kafka:9092")]
    [InlineData("process", "MESERP_Kafka__Properties__security.protocol", "SASL_SSL")]
    [InlineData("process", "MESERP_Kafka__Properties__sasl.password", null)]
    [InlineData("process", "MESERP_SchemaRegistry__BasicAuthUserInfo", null)]
    [InlineData("edge simulate", "MESERP_SchemaRegistry__Url", "http://r:8081")]
    [InlineData("sink", "MESERP_Sink__BootstrapServers", "kafka:9092")]
    [InlineData("sink", "MESERP_Sink__Erp__BaseAddress", "http://erp/")]
    [InlineData("sink", "MESERP_Sink__Kafka__sasl.username", null)]
    [InlineData("sink", "MESERP_Sink__RetryDelays__0", "00:00:05")]
    [InlineData("sink", "MESERP_SINK_ERP_CLIENT_SECRET", null)]
    [InlineData("sink", "MESERP_Kafka__BootstrapServers", "kafka:9092")]
    [InlineData("sink", "MESERP_Kafka__Properties__sasl.username", null)]
    [InlineData("sink", "MESERP_SchemaRegistry__BasicAuthUserInfo", null)]
    [InlineData("erp-sim", "MESERP_ERPSIM_TOKEN", null)]
    [InlineData("schemas register", "MESERP_SchemaRegistry__Url", "http://r:8081")]
    public void Settings_the_code_reads_are_accepted(string command, string name, string? value) =>
        EnvironmentContract.Check(command, name, value).Should().BeNull();

    [Theory]
    [InlineData("erp-sim", "MESERP_Kafka__BootstrapServers", "kafka:9092", "does not read configuration section 'Kafka'")]
    [InlineData("topics apply", "MESERP_SchemaRegistry__BasicAuthUserInfo", null, "does not read configuration section 'SchemaRegistry'")]
    [InlineData("process", "MESERP_Sink__BootstrapServers", "kafka:9092", "does not read configuration section 'Sink'")]
    [InlineData("process", "MESERP_Kafka__Properties__sasl.pasword", null, "no property 'sasl.pasword'")]
    [InlineData("process", "MESERP_Kafka__Properties__security.protocol", "SASL_TLS", "rejects")]
    [InlineData("process", "MESERP_Kafka__Bootstrap", "kafka:9092", "BootstrapServers and Properties")]
    [InlineData("process", "MESERP_SchemaRegistry__Password", null, "no settable property 'Password'")]
    [InlineData("sink", "MESERP_Sink__Erp__Token", null, "no settable property 'Token'")]
    [InlineData("sink", "MESERP_Sink__RetryDelays", "5s", "a list")]
    [InlineData("erp-sim", "MESERP_SINK_ERP_TOKEN", null, "does not read")]
    [InlineData("process", "KAFKA_BOOTSTRAP", "kafka:9092", "not a meserp setting")]
    public void Settings_the_code_ignores_are_rejected(string command, string name, string? value, string reason) =>
        EnvironmentContract.Check(command, name, value).Should().Contain(reason);
}
