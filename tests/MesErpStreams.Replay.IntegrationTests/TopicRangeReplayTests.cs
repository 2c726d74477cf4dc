using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Replay.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class TopicRangeReplayTests(EmbeddedKafkaFixture kafka)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Topic_replay_copies_exactly_the_time_range_and_keys_asked_for()
    {
        var source = kafka.CreateTopic("replay-src", 2);
        var target = kafka.CreateTopic("replay-dst", 2);
        using (var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < 40; i++)
            {
                await p.ProduceAsync(source, new Message<string, string>
                {
                    Key = "k" + (i % 4).ToString(CultureInfo.InvariantCulture), Value = "v" + i.ToString(CultureInfo.InvariantCulture),
                    Timestamp = new Timestamp(T0.AddMinutes(i)), Headers = [new Header("traceparent", Encoding.UTF8.GetBytes("00-t-" + i))],
                });
            }
        }

        var summary = await ReplayRunner.RunAsync(new ReplayOptions
        {
            Kafka = new Kafka.Configuration.KafkaClientOptions { BootstrapServers = kafka.BootstrapServers },
            SourceTopic = source, TargetTopic = target, Since = T0.AddMinutes(10), Until = T0.AddMinutes(30), Keys = ["k1", "k2"],
        });

        // Minutes 10..29 with keys k1/k2: i % 4 in {1, 2} → 10 records.
        var expected = Enumerable.Range(10, 20).Where(i => i % 4 is 1 or 2).Select(i => "v" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        summary.Matched.Should().Be(expected.Count);
        summary.Replayed.Should().Be(expected.Count);
        // The mock cluster cannot look offsets up by time, so replay reads wider there and filters each record by timestamp.
        summary.Scanned.Should().BeInRange(20, 40);

        using var c = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers, GroupId = EmbeddedKafkaFixture.UniqueName("replay-verify"), AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        c.Subscribe(target);
        var copied = new List<Message<string, string>>();
        await Eventually.TrueAsync(() =>
        {
            while (c.Consume(TimeSpan.FromMilliseconds(50)) is { } r)
            {
                copied.Add(r.Message);
            }

            return copied.Count >= expected.Count;
        }, TimeSpan.FromSeconds(30), "the copies");
        copied.Select(m => m.Value).Should().BeEquivalentTo(expected);
        copied.Select(m => m.Headers.Select(h => h.Key).ToList()).Should().AllSatisfy(keys => keys.Should().Contain([ReplayHeaders.ReplayOf, "traceparent"]));
    }

    [Fact]
    public async Task Offsets_given_for_one_partition_replay_that_partition_only_and_the_dry_run_lists_event_ids()
    {
        // What broke (first plant trial): `--start-offset 5:14 --end-offset 5:15` replayed 10 records, the one asked for
        // plus every record of the partitions given no offsets, which defaulted to their whole range.
        var source = kafka.CreateTopic("replay-part-src", 3);
        var target = kafka.CreateTopic("replay-part-dst", 3);
        var ids = new Dictionary<(int Partition, long Offset), string>();
        using (var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                var id = Guid.NewGuid().ToString();
                var r = await p.ProduceAsync(new TopicPartition(source, i % 3), new Message<string, string>
                {
                    Key = "1000/4100000" + (i % 3).ToString(CultureInfo.InvariantCulture), Value = "v" + i.ToString(CultureInfo.InvariantCulture),
                    Headers = [new Header(ReplayHeaders.EventId, Encoding.UTF8.GetBytes(id)), new Header(ReplayHeaders.EventType, "ScrapReport"u8.ToArray())],
                });
                ids[(r.Partition.Value, r.Offset.Value)] = id;
            }
        }

        var (exit, stdout, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), "replay", "topic", "--bootstrap-servers", kafka.BootstrapServers,
            "--from", source, "--to", target, "--start-offset", "1:4", "--end-offset", "1:6", "--dry-run");

        exit.Should().Be(0, stderr);
        stdout.Should().Contain("matched=2 replayed=0");
        var listed = stdout.Split('\n').Where(l => l.Contains(" -> " + target, StringComparison.Ordinal)).ToList();
        listed.Should().HaveCount(2);
        listed[0].Should().StartWith($"{source}[1]@4 key=1000/41000001 event_id={ids[(1, 4)]} type=ScrapReport ");
        listed[1].Should().StartWith($"{source}[1]@5 key=1000/41000001 event_id={ids[(1, 5)]} type=ScrapReport ");

        var summary = await ReplayRunner.RunAsync(new ReplayOptions
        {
            Kafka = new Kafka.Configuration.KafkaClientOptions { BootstrapServers = kafka.BootstrapServers },
            SourceTopic = source, TargetTopic = target, StartOffsets = new Dictionary<int, long> { [1] = 4 }, EndOffsets = new Dictionary<int, long> { [1] = 6 },
        });
        summary.Scanned.Should().Be(2, "partitions 0 and 2 were given no offsets: they are not read");
        summary.Replayed.Should().Be(2);
    }

    [Fact]
    public async Task Replaying_a_topic_into_itself_is_refused_naming_the_option()
    {
        var (exit, _, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), "replay", "topic", "--bootstrap-servers", kafka.BootstrapServers,
            "--from", "x", "--to", "x");
        exit.Should().NotBe(0);
        stderr.Should().Contain("--to");
    }
}
