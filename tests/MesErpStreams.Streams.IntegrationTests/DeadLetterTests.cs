using System.Diagnostics.Metrics;
using System.Text;
using MesErpStreams.TestUtils;
using Xunit.Abstractions;

namespace MesErpStreams.Streams.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class DeadLetterTests(EmbeddedKafkaFixture kafka, ITestOutputHelper output)
{
    [Fact]
    public async Task Poison_records_land_in_the_dead_letter_topic_while_the_records_around_them_are_processed()
    {
        var input = kafka.CreateTopic("dl-in", 1);
        var outputTopic = kafka.CreateTopic("dl-out", 1);
        var dlq = kafka.CreateTopic("dl-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("dl");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 1);
        var measurements = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StreamsMetricNames.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                var stage = tags.ToArray().FirstOrDefault(t => t.Key == "stage").Value;
                var name = instrument.Name + (stage is null ? string.Empty : "/" + stage);
                measurements[name] = measurements.GetValueOrDefault(name) + value;
            }
        });
        listener.Start();
        await using var outputs = new OutputCollector(kafka.BootstrapServers, outputTopic);
        await using var deadLetters = new OutputCollector(kafka.BootstrapServers, dlq);
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false), app, kafka.BootstrapServers, "p",
            Path.GetTempPath(), dlq, new TestOutputLoggerFactory(output, "dlq"));
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));

        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("a", "1"), ("a", "boom")]);
        KafkaTestClient.ProduceRaw(kafka.BootstrapServers, input, Encoding.UTF8.GetBytes("a"), [0xff, 0xfe, 0xfd]);
        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("a", "2")]);
        await Eventually.TrueAsync(() => outputs.Count >= 2 && deadLetters.Count >= 2, TimeSpan.FromSeconds(30), "outputs and dead letters");

        outputs.Snapshot().Should().Equal(("a", "1:1"), ("a", "2:2"));
        var dead = deadLetters.Raw();
        dead.Should().HaveCount(2);
        string Header(int i, string name) => Encoding.UTF8.GetString(dead[i].Message.Headers.GetLastBytes(name));
        Encoding.UTF8.GetString(dead[0].Message.Value).Should().Be("boom");
        Header(0, DeadLetterHeaders.Stage).Should().Be("process");
        Header(0, DeadLetterHeaders.Topic).Should().Be(input);
        Header(0, DeadLetterHeaders.Offset).Should().Be("1");
        Header(0, DeadLetterHeaders.ExceptionMessage).Should().Be("poison value");
        dead[1].Message.Value.Should().Equal(0xff, 0xfe, 0xfd);
        Header(1, DeadLetterHeaders.Stage).Should().Be("deserialize");
        Header(1, DeadLetterHeaders.Offset).Should().Be("2");
        Header(1, DeadLetterHeaders.ExceptionClass).Should().Be(typeof(DecoderFallbackException).FullName);
        await Eventually.TrueAsync(() =>
        {
            lock (measurements)
            {
                return measurements.GetValueOrDefault(StreamsMetricNames.RecordsConsumed) >= 4
                       && measurements.GetValueOrDefault(StreamsMetricNames.TransactionsCommitted) >= 1
                       && measurements.GetValueOrDefault(StreamsMetricNames.RecordsDeadLettered + "/process") == 1
                       && measurements.GetValueOrDefault(StreamsMetricNames.RecordsDeadLettered + "/deserialize") == 1;
            }
        }, TimeSpan.FromSeconds(10), "metrics for consumed, committed and dead-lettered records");
    }

    [Fact]
    public async Task A_poison_record_too_large_for_the_dead_letter_topic_is_dead_lettered_without_its_value_and_the_partition_goes_on()
    {
        var input = kafka.CreateTopic("dl-big-in", 1);
        var outputTopic = kafka.CreateTopic("dl-big-out", 1);
        var dlq = kafka.CreateTopic("dl-big-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("dlbig");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 1);
        await using var outputs = new OutputCollector(kafka.BootstrapServers, outputTopic);
        await using var deadLetters = new OutputCollector(kafka.BootstrapServers, dlq);
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false), app, kafka.BootstrapServers, "p",
            Path.GetTempPath(), dlq, new TestOutputLoggerFactory(output, "dlbig"));
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));

        // 1.2 MB of bytes that are not UTF-8: undecodable, and larger than the 1 MB record limit of the dead-letter topic.
        var big = new byte[1_200_000];
        big.AsSpan().Fill(0xff);
        using (var producer = new Confluent.Kafka.ProducerBuilder<byte[], byte[]>(new Confluent.Kafka.ProducerConfig
               {
                   BootstrapServers = kafka.BootstrapServers, MessageMaxBytes = 4_000_000,
               }).Build())
        {
            await producer.ProduceAsync(input, new Confluent.Kafka.Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes("a"), Value = big });
        }

        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("a", "1")]);
        await Eventually.TrueAsync(() => outputs.Count >= 1 && deadLetters.Count >= 1, TimeSpan.FromSeconds(30), "the record after the poison and its dead letter");

        outputs.Snapshot().Should().Equal(("a", "1:1"));
        var dead = deadLetters.Raw().Should().ContainSingle().Subject;
        dead.Message.Value.Should().BeNull("the value does not fit the dead-letter topic");
        Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.ValueOmittedBytes)).Should().Be("1200000");
        Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.Offset)).Should().Be("0");
        Encoding.UTF8.GetString(dead.Message.Headers.GetLastBytes(DeadLetterHeaders.Stage)).Should().Be("deserialize");
    }

    [Fact]
    public async Task A_record_failing_for_a_passing_reason_is_retried_in_order_and_not_dead_lettered()
    {
        var input = kafka.CreateTopic("dl-tr-in", 1);
        var outputTopic = kafka.CreateTopic("dl-tr-out", 1);
        var dlq = kafka.CreateTopic("dl-tr-dlq", 1);
        var app = EmbeddedKafkaFixture.UniqueName("dltr");
        kafka.Cluster.CreateTopic($"{app}-counts-changelog", 1);
        var flaky = new FlakyUtf8(failures: 3);
        await using var outputs = new OutputCollector(kafka.BootstrapServers, outputTopic);
        await using var deadLetters = new OutputCollector(kafka.BootstrapServers, dlq);
        var logs = new TestOutputLoggerFactory(output, "dltr");
        await using var instance = CountingApp.Start(CountingApp.Build(input, outputTopic, persistent: false, flaky), app, kafka.BootstrapServers, "p",
            Path.GetTempPath(), dlq, logs, transientErrors: e => e is TimeoutException);
        await instance.Running.WaitAsync(TimeSpan.FromSeconds(30));

        KafkaTestClient.Produce(kafka.BootstrapServers, input, [("a", "1"), ("a", "flaky"), ("a", "3")]);
        await Eventually.TrueAsync(() => outputs.Count >= 3, TimeSpan.FromSeconds(30), "all three outputs");
        await Task.Delay(TimeSpan.FromSeconds(1)); // grace period in which a duplicate or dead letter would show up

        outputs.Snapshot().Should().Equal(("a", "1:1"), ("a", "2:flaky"), ("a", "3:3"));
        deadLetters.Count.Should().Be(0);
        flaky.Attempts.Should().Be(4, "three failed reads, then one that succeeded and was committed");
        logs.Lines.Should().Contain(l => l.Contains("failed for a passing reason", StringComparison.Ordinal));
        instance.State.Should().Be(StreamsState.Running);
    }

    /// <summary>UTF-8 values; "flaky" fails with a TimeoutException the first <c>failures</c> times it is read.</summary>
    private sealed class FlakyUtf8(int failures) : Confluent.Kafka.IDeserializer<string>
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public string Deserialize(ReadOnlySpan<byte> data, bool isNull, Confluent.Kafka.SerializationContext context)
        {
            var text = Encoding.UTF8.GetString(data);
            if (text == "flaky" && Interlocked.Increment(ref _attempts) <= failures)
            {
                throw new TimeoutException("the registry is away");
            }

            return text;
        }
    }
}
