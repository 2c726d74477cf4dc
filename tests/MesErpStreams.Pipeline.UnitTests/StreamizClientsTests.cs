using Confluent.Kafka;
using MesErpStreams.Pipeline.Engine;
using MesErpStreams.Pipeline.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace MesErpStreams.Pipeline.UnitTests;

/// <summary>The Streamiz configuration the processor runs with and the client supplier that watches it (no broker: clients are built, never used).</summary>
public sealed class StreamizClientsTests
{
    private static readonly StreamizPipelineOptions Options = new("meserp-processor", "127.0.0.1:1",
        new Dictionary<string, string>
        {
            ["security.protocol"] = "sasl_ssl", ["sasl.mechanism"] = "SCRAM-SHA-512", ["sasl.username"] = "plant", ["sasl.password"] = "secret",
            ["socket.timeout.ms"] = "12345", ["enable.ssl.certificate.verification"] = "false", ["acks"] = "-1",
        },
        Path.Combine(Path.GetTempPath(), "meserp-clients-test"), TimeSpan.FromMilliseconds(250));

    [Fact]
    public void Stream_config_keeps_the_commit_interval_the_restore_timeout_and_the_client_properties()
    {
        var config = Options.ToStreamConfig(NullLoggerFactory.Instance);

        config.CommitIntervalMs.Should().Be(250, "the guarantee's setter resets the commit interval: it must be set after it");
        config.PollMs.Should().Be(100);
        (Options with { PollInterval = TimeSpan.FromMilliseconds(20) }).ToStreamConfig(NullLoggerFactory.Instance).PollMs.Should().Be(20);
        config.Guarantee.Should().Be(ProcessingGuarantee.EXACTLY_ONCE);
        config.QueryWatermarkOffsetsTimeout.Should().Be(TimeSpan.FromSeconds(30), "Streamiz's 5 s default killed a restoring processor during a broker failover");
        Options.Validate().Should().BeEmpty();
        config.ToProducerConfig("p").Acks.Should().Be(Acks.All);
        foreach (var client in new ClientConfig[] { config.ToProducerConfig("p"), config.ToConsumerConfig("c"), config.ToRestoreConsumerConfig("r"), config.ToGlobalConsumerConfig("g"), config.ToAdminConfig("a") })
        {
            client.SecurityProtocol.Should().Be(SecurityProtocol.SaslSsl);
            client.SaslMechanism.Should().Be(SaslMechanism.ScramSha512);
            client.SaslUsername.Should().Be("plant");
            client.SaslPassword.Should().Be("secret");
            client.SocketTimeoutMs.Should().Be(12345);
            client.EnableSslCertificateVerification.Should().BeFalse();
        }
    }

    [Theory]
    [InlineData("security.protocol", "sasl_tls", "Kafka property security.protocol: 'sasl_tls' is not one of")]
    [InlineData("socket.timeout.ms", "ten", "Kafka property socket.timeout.ms: 'ten' is not a valid Int32")]
    [InlineData("enable.ssl.certificate.verification", "maybe", "Kafka property enable.ssl.certificate.verification: 'maybe' is not a valid Boolean")]
    public void A_bad_typed_kafka_property_is_named_at_start(string key, string value, string expected)
    {
        var options = Options with { Kafka = new Dictionary<string, string>(Options.Kafka) { [key] = value } };

        options.Validate().Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void A_second_producer_for_a_transactional_id_trips_the_guard()
    {
        var (supplier, guard) = Supplier();
        using var first = supplier.GetProducer(new ProducerConfig { BootstrapServers = "127.0.0.1:1", TransactionalId = "meserp-processor-1-0" });
        using var other = supplier.GetProducer(new ProducerConfig { BootstrapServers = "127.0.0.1:1", TransactionalId = "meserp-processor-1-1" });
        guard.Reason.Should().BeNull("one producer per stream thread is the normal start");

        using var replaced = supplier.GetProducer(new ProducerConfig { BootstrapServers = "127.0.0.1:1", TransactionalId = "meserp-processor-1-0" });

        guard.Reason.Should().Contain("meserp-processor-1-0");
        var open = () => guard.ThrowIfTripped("0-3");
        open.Should().Throw<InvalidOperationException>().WithMessage("*task 0-3 not reopened*restart restores them from the changelogs*");
    }

    [Fact]
    public void Producers_without_transactions_never_trip_the_guard()
    {
        var (supplier, guard) = Supplier();
        using var first = supplier.GetProducer(new ProducerConfig { BootstrapServers = "127.0.0.1:1" });
        using var second = supplier.GetProducer(new ProducerConfig { BootstrapServers = "127.0.0.1:1" });

        guard.Reason.Should().BeNull("at least once keeps no transaction to abort");
    }

    [Theory]
    [InlineData("--stream-threads", "0", "--stream-threads must be between 1 and 64")]
    [InlineData("--stream-threads", "65", "--stream-threads must be between 1 and 64")]
    [InlineData("--poll-interval", "11s", "--poll-interval must be between 1ms and 10s")]
    [InlineData("--kafka-property", "security.protocol=sasl_tls", "Kafka property security.protocol: 'sasl_tls' is not one of Plaintext, Ssl, SaslPlaintext, SaslSsl")]
    public async Task Meserp_process_stops_at_start_naming_a_bad_setting(string flag, string value, string message)
    {
        var parse = ProcessCommand.Create().Parse(["--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "http://127.0.0.1:1", flag, value]);
        parse.Errors.Should().BeEmpty();

        // The CLI's runner turns this exception into `meserp: configuration error: <message>` and exit code 2.
        var invoke = () => parse.InvokeAsync(new System.CommandLine.InvocationConfiguration { EnableDefaultExceptionHandler = false });
        (await invoke.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Streamiz_keeps_a_logger_factory_that_outlives_the_pipelines_own()
    {
        var owned = LoggerFactory.Create(_ => { });
        StreamizLogging.Use(owned);
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").To("out");
        var config = Options.ToStreamConfig(StreamizLogging.Factory);
        using (new KafkaStream(builder.Build(), config))
        {
            // The constructor stored config.Logger in Streamiz's static (nothing connects before a start).
        }

        StreamizLogging.Release(owned);
        owned.Dispose();

        // Streamiz builds the next topology with the factory it keeps in a static: it must not be a disposed one.
        var later = () => new StreamBuilder().Stream<string, string>("any").To("other");
        later.Should().NotThrow();
        var direct = () => StreamizLogging.Factory.CreateLogger("after the pipeline").LogInformation("dropped");
        direct.Should().NotThrow();
    }

    private static (GuardedKafkaSupplier Supplier, DirtyCloseGuard Guard) Supplier()
    {
        var config = new StreamConfig<StringSerDes, ByteArraySerDes> { ApplicationId = "meserp-processor", BootstrapServers = "127.0.0.1:1" };
        var guard = new DirtyCloseGuard();
        return (new GuardedKafkaSupplier(new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config), guard, NullLogger.Instance), guard);
    }
}
