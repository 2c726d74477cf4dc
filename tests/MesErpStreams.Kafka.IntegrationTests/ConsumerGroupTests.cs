using System.Collections.Concurrent;
using Confluent.Kafka;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Kafka.IntegrationTests;

[Collection(ClusterCollection.Name)]
public sealed class ConsumerGroupTests(EmbeddedKafkaFixture kafka)
{
    [Fact]
    public async Task Two_consumers_share_partitions_and_the_survivor_takes_over_when_one_leaves()
    {
        var topic = kafka.CreateTopic("grp", partitions: 6);
        var group = EmbeddedKafkaFixture.UniqueName("g");
        var consumed = new ConcurrentDictionary<string, int>();
        using var a = new GroupMember(kafka.BootstrapServers, group, topic, consumed);
        using var b = new GroupMember(kafka.BootstrapServers, group, topic, consumed);

        await Eventually.TrueAsync(() => a.Assigned.Length == 3 && b.Assigned.Length == 3, TimeSpan.FromSeconds(30),
            "both members to own 3 of 6 partitions");
        a.Assigned.Intersect(b.Assigned).Should().BeEmpty("a partition belongs to one member of the group");

        await ProduceAsync(topic, 0, 300);
        await Eventually.TrueAsync(() => consumed.Count == 300, TimeSpan.FromSeconds(30), "300 records consumed by the group");
        a.Consumed.Should().BeGreaterThan(0);
        b.Consumed.Should().BeGreaterThan(0);

        await a.StopAsync();
        await Eventually.TrueAsync(() => b.Assigned.Length == 6, TimeSpan.FromSeconds(30), "the survivor to own all 6 partitions");

        await ProduceAsync(topic, 300, 300);
        await Eventually.TrueAsync(() => consumed.Count == 600, TimeSpan.FromSeconds(30), "records produced after the rebalance to be consumed");
        consumed.Values.Should().OnlyContain(n => n == 1, "committed offsets hand partitions over without re-delivery here");
    }

    // The two below use eager assignment and librdkafka's default session.timeout.ms (45 s): a real
    // coordinator hands partitions over as soon as the members that remain have rejoined, and a group whose last member
    // left is empty, so its next member waits only the initial rebalance delay (3 s). The unpatched mock waited
    // session.timeout - 1 s in both cases (native/librdkafka/patches/0003-mock-group-join.patch).
    [Fact]
    public async Task Member_joining_a_group_whose_last_member_left_gets_its_partitions_within_seconds()
    {
        var topic = kafka.CreateTopic("grp-empty", partitions: 3);
        var group = EmbeddedKafkaFixture.UniqueName("g");
        var consumed = new ConcurrentDictionary<string, int>();
        using (var first = new GroupMember(kafka.BootstrapServers, group, topic, consumed, ProductDefaults))
        {
            await Eventually.TrueAsync(() => first.Assigned.Length == 3, TimeSpan.FromSeconds(20), "the first member to own all 3 partitions");
            await first.StopAsync();
        }

        using var second = new GroupMember(kafka.BootstrapServers, group, topic, consumed, ProductDefaults);
        await Eventually.TrueAsync(() => second.Assigned.Length == 3, TimeSpan.FromSeconds(20),
            "the next member to own all 3 partitions well before a 45 s session timeout");
    }

    [Fact]
    public async Task Survivor_owns_every_partition_within_seconds_when_the_other_member_leaves()
    {
        var topic = kafka.CreateTopic("grp-leave", partitions: 6);
        var group = EmbeddedKafkaFixture.UniqueName("g");
        var consumed = new ConcurrentDictionary<string, int>();
        using var a = new GroupMember(kafka.BootstrapServers, group, topic, consumed, ProductDefaults);
        await Eventually.TrueAsync(() => a.Assigned.Length == 6, TimeSpan.FromSeconds(20), "the first member to own all 6 partitions");
        using var b = new GroupMember(kafka.BootstrapServers, group, topic, consumed, ProductDefaults);
        await Eventually.TrueAsync(() => a.Assigned.Length == 3 && b.Assigned.Length == 3, TimeSpan.FromSeconds(20),
            "a joining member to get its share as soon as the existing member has rejoined");

        await a.StopAsync();
        await Eventually.TrueAsync(() => b.Assigned.Length == 6, TimeSpan.FromSeconds(20), "the survivor to own all 6 partitions after the other left");
    }

    private static void ProductDefaults(ConsumerConfig c)
    {
        c.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range;
        c.SessionTimeoutMs = 45_000;
        c.HeartbeatIntervalMs = 3_000;
    }

    private async Task ProduceAsync(string topic, int from, int count)
    {
        using var p = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, Acks = Acks.All }).Build();
        for (var i = from; i < from + count; i++)
        {
            p.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" });
        }

        await Task.Run(() => p.Flush(TimeSpan.FromSeconds(10)));
    }

    private sealed class GroupMember : IDisposable
    {
        private readonly IConsumer<string, string> _consumer;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly ConcurrentDictionary<string, int> _seen;
        private volatile int[] _assigned = [];
        private int _consumed;

        public GroupMember(string bootstrap, string group, string topic, ConcurrentDictionary<string, int> seen, Action<ConsumerConfig>? configure = null)
        {
            _seen = seen;
            var config = new ConsumerConfig
            {
                BootstrapServers = bootstrap, GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false, PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky,
                SessionTimeoutMs = 6000, HeartbeatIntervalMs = 500,
            };
            configure?.Invoke(config);
            _consumer = new ConsumerBuilder<string, string>(config)
                .SetPartitionsAssignedHandler((c, ps) => _assigned = _assigned.Concat(ps.Select(p => p.Partition.Value)).Distinct().ToArray())
                .SetPartitionsRevokedHandler((c, ps) => _assigned = _assigned.Except(ps.Select(p => p.Partition.Value)).ToArray())
                .SetPartitionsLostHandler((c, ps) => _assigned = _assigned.Except(ps.Select(p => p.Partition.Value)).ToArray())
                .Build();
            _consumer.Subscribe(topic);
            _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning);
        }

        public int[] Assigned => _assigned;

        public int Consumed => Volatile.Read(ref _consumed);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait(TimeSpan.FromSeconds(30));
            _consumer.Dispose();
            _stop.Dispose();
        }

        private void Loop()
        {
            while (!_stop.IsCancellationRequested)
            {
                var r = _consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (r?.Message is null)
                {
                    continue;
                }

                _seen.AddOrUpdate(r.Message.Value, 1, (_, n) => n + 1);
                Interlocked.Increment(ref _consumed);
                _consumer.Commit(r);
            }

            _consumer.Close(); // leave the group now, so the survivor is rebalanced without waiting for a session timeout
        }
    }
}
