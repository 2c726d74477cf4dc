using FsCheck;
using FsCheck.Fluent;
using MesErpStreams.Sink.Internal;

namespace MesErpStreams.Sink.UnitTests;

public sealed class PartitionOffsetsTests
{
    [Fact]
    public void Commit_position_stops_at_the_first_unfinished_offset()
    {
        var p = new PartitionOffsets();
        p.Committable().Should().BeNull("nothing was read");
        foreach (var o in new long[] { 10, 11, 12, 13 })
        {
            p.Track(o);
        }

        p.Complete(11);
        p.Complete(13);
        p.Committable().Should().Be(10, "offset 10 is not durable yet");
        p.Complete(10);
        p.Committable().Should().Be(12);
        p.MarkCommitted(12);
        p.Committable().Should().BeNull("nothing new to commit");
        p.Complete(12);
        p.Committable().Should().Be(14, "everything up to 13 is done");
    }

    [Fact]
    public void Offsets_must_be_tracked_in_order()
    {
        var p = new PartitionOffsets();
        p.Track(5);
        var act = () => p.Track(4);
        act.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Committable_offset_never_passes_an_unfinished_offset_for_any_completion_order()
    {
        var prop = Prop.ForAll(Arb.From(Gen.Shuffle(Enumerable.Range(0, 30).ToArray())), order =>
        {
            var p = new PartitionOffsets();
            for (var i = 0; i < 30; i++)
            {
                p.Track(100 + i);
            }

            var done = new HashSet<int>();
            foreach (var i in order)
            {
                p.Complete(100 + i);
                done.Add(i);
                var expected = 100 + Enumerable.Range(0, 31).First(k => !done.Contains(k));
                if (p.Committable() is { } c && c != expected)
                {
                    return false;
                }
            }

            return p.Committable() == 130;
        });
        Check.QuickThrowOnFailure(prop);
    }
}
