using MesErpStreams.Sink.Internal;

namespace MesErpStreams.Sink.UnitTests;

public sealed class ParkedKeysTests
{
    [Fact]
    public void Unparked_key_is_posted()
    {
        new ParkedKeys(3).RouteTier("order-1", 0).Should().BeNull();
    }

    [Fact]
    public void Follower_of_a_parked_key_is_routed_to_the_lowest_tier_holding_the_key()
    {
        var p = new ParkedKeys(3);
        p.Add("order-1", 2);
        p.Add("order-1", 1); // a follower already waits in tier 1 behind the head in tier 2
        p.RouteTier("order-1", 0).Should().Be(1, "behind the newest parked command");
        p.RouteTier("order-1", 1).Should().Be(2, "a tier-1 follower moves behind the head in tier 2");
        p.RouteTier("order-1", 2).Should().BeNull("the head itself is posted");
        p.RouteTier("order-2", 0).Should().BeNull("other keys are not held");
    }

    [Fact]
    public void Key_is_released_when_its_parked_commands_leave_the_tiers()
    {
        var p = new ParkedKeys(3);
        p.Add("k", 1);
        p.Add("k", 1);
        p.Remove("k", 1);
        p.RouteTier("k", 0).Should().Be(1);
        p.Remove("k", 1);
        p.RouteTier("k", 0).Should().BeNull();
        p.KeyCount.Should().Be(0);
        p.Remove("k", 0); // tier 0 is not tracked
    }

    [Fact]
    public void Simulated_failures_keep_every_key_in_command_order()
    {
        // Model of the sink over one partition: commands move through tiers by the routing rule; failures are random.
        var random = new Random(42);
        const int tiers = 3;
        var parked = new ParkedKeys(tiers);
        var queues = Enumerable.Range(0, tiers + 1).Select(_ => new Queue<(string Key, int Seq)>()).ToArray();
        var posted = new List<(string Key, int Seq)>();
        var deadLettered = new HashSet<(string, int)>();
        for (var i = 0; i < 300; i++)
        {
            queues[0].Enqueue(($"k{random.Next(5)}", i));
        }

        while (queues.Any(q => q.Count > 0))
        {
            var tier = Enumerable.Range(0, tiers + 1).Where(t => queues[t].Count > 0).OrderBy(_ => random.Next()).First();
            var (key, seq) = queues[tier].Dequeue();
            if (parked.RouteTier(key, tier) is { } to)
            {
                parked.Add(key, to);
                queues[to].Enqueue((key, seq));
            }
            else if (random.NextDouble() < 0.3)
            {
                if (tier < tiers)
                {
                    parked.Add(key, tier + 1);
                    queues[tier + 1].Enqueue((key, seq));
                }
                else
                {
                    deadLettered.Add((key, seq));
                }
            }
            else
            {
                posted.Add((key, seq));
            }

            parked.Remove(key, tier);
        }

        posted.Count.Should().Be(300 - deadLettered.Count);
        foreach (var g in posted.GroupBy(p => p.Key))
        {
            // Order holds between dead letters: a dead-lettered head releases its key.
            var seqs = g.Select(p => p.Seq).ToList();
            seqs.Should().BeInAscendingOrder($"key {g.Key} must be posted in command order");
        }
    }
}
