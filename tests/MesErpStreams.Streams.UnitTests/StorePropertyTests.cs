using FsCheck;
using FsCheck.Fluent;
using MesErpStreams.Streams.Internal;

namespace MesErpStreams.Streams.UnitTests;

public sealed class StorePropertyTests
{
    [Fact]
    public void Store_matches_a_dictionary_model_and_replaying_its_changelog_rebuilds_the_same_state()
    {
        // Operations: (key 0..7, value or null = delete, commit-after flag, rollback-this-op flag).
        var property = Prop.ForAll(
            Gen.ListOf(
                from k in Gen.Choose(0, 7)
                from v in Gen.Choose(-1, 50)
                from commit in Gen.Elements(true, false)
                from rollback in Gen.Elements(true, false, false, false)
                select (k, v, commit, rollback)).ToArbitrary(),
            ops =>
            {
                var collector = new ListCollector();
                var committed = new InMemoryBytesStore(false);
                var cache = new StoreCache("s", committed, "cl", 0);
                var model = new Dictionary<byte, byte>();
                var pending = new Dictionary<byte, byte?>();
                foreach (var (k, v, commit, rollback) in ops)
                {
                    var key = new[] { (byte)k };
                    cache.BeginRecord();
                    cache.Put(key, v < 0 ? null : [(byte)v]);
                    if (rollback)
                    {
                        cache.RollbackRecord();
                    }
                    else
                    {
                        cache.EndRecord();
                        pending[(byte)k] = v < 0 ? null : (byte)v;
                    }

                    if (commit)
                    {
                        cache.Flush(collector);
                        cache.ApplyCommitted(collector.Records.Count);
                        foreach (var (pk, pv) in pending)
                        {
                            if (pv is null)
                            {
                                model.Remove(pk);
                            }
                            else
                            {
                                model[pk] = pv.Value;
                            }
                        }

                        pending.Clear();
                    }
                }

                var replayed = new InMemoryBytesStore(false);
                replayed.Apply(collector.Records, collector.Records.Count);
                var actual = committed.All().ToDictionary(e => e.Key[0], e => e.Value[0]);
                var rebuilt = replayed.All().ToDictionary(e => e.Key[0], e => e.Value[0]);
                return actual.OrderBy(e => e.Key).SequenceEqual(model.OrderBy(e => e.Key))
                       && rebuilt.OrderBy(e => e.Key).SequenceEqual(model.OrderBy(e => e.Key));
            });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    private sealed class ListCollector : IRecordCollector
    {
        public List<KeyValuePair<byte[], byte[]?>> Records { get; } = [];

        public void Send(string topic, byte[]? key, byte[]? value, Confluent.Kafka.Headers? headers, long timestampMs) =>
            throw new InvalidOperationException("stores write only changelogs");

        public void SendChangelog(string topic, int partition, byte[] key, byte[]? value, bool reportDelivery = true) => Records.Add(new(key, value));

        public long? TakeChangelogNextOffset(string topic, int partition) => Records.Count;
    }
}
