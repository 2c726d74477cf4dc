using System.Collections.Concurrent;
using MesErpStreams.Sink.Internal;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Sink.UnitTests;

public sealed class KeyedSchedulerTests
{
    [Fact]
    public async Task Items_of_one_key_run_in_order_and_never_overlap()
    {
        var errors = new ConcurrentBag<Exception>();
        using var s = Scheduler(4, errors.Add);
        var seen = new ConcurrentDictionary<string, List<int>>();
        var active = new ConcurrentDictionary<string, int>();
        var overlap = 0;
        for (var i = 0; i < 200; i++)
        {
            var key = $"k{i % 5}";
            var n = i;
            s.Enqueue(key, async () =>
            {
                if (active.AddOrUpdate(key, 1, (_, v) => v + 1) > 1)
                {
                    Interlocked.Increment(ref overlap);
                }

                await Task.Yield();
                lock (seen)
                {
                    seen.GetOrAdd(key, _ => []).Add(n);
                }

                active.AddOrUpdate(key, 0, (_, v) => v - 1);
            });
        }

        await Eventually.TrueAsync(() => s.Pending == 0, TimeSpan.FromSeconds(10), "all items to finish");
        errors.Should().BeEmpty();
        overlap.Should().Be(0);
        seen.Values.Sum(v => v.Count).Should().Be(200);
        foreach (var v in seen.Values)
        {
            v.Should().BeInAscendingOrder();
        }
    }

    [Fact]
    public async Task Concurrency_across_keys_is_bounded()
    {
        using var s = Scheduler(3, _ => { });
        var running = 0;
        var max = 0;
        var gate = new TaskCompletionSource();
        for (var i = 0; i < 10; i++)
        {
            s.Enqueue($"k{i}", async () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref max, now);
                await gate.Task;
                Interlocked.Decrement(ref running);
            });
        }

        await Eventually.TrueAsync(() => Volatile.Read(ref running) == 3, TimeSpan.FromSeconds(5), "three items to run");
        gate.SetResult();
        await Eventually.TrueAsync(() => s.Pending == 0, TimeSpan.FromSeconds(5), "all items to finish");
        max.Should().Be(3);
    }

    [Fact]
    public async Task Unexpected_exception_is_reported_and_drops_the_later_items_of_its_key_only()
    {
        var errors = new ConcurrentBag<Exception>();
        using var s = Scheduler(2, errors.Add);
        var gate = new TaskCompletionSource();
        var ranSameKey = false;
        var ranOtherKey = false;
        s.Enqueue("k", async () =>
        {
            await gate.Task;
            throw new InvalidOperationException("boom");
        });
        s.Enqueue("k", () =>
        {
            ranSameKey = true;
            return Task.CompletedTask;
        });
        s.Enqueue("other", () =>
        {
            ranOtherKey = true;
            return Task.CompletedTask;
        });
        gate.SetResult();
        await Eventually.TrueAsync(() => s.Pending == 0, TimeSpan.FromSeconds(5), "items to finish");
        errors.Should().ContainSingle().Which.Message.Should().Be("boom");
        ranSameKey.Should().BeFalse("a later item must not overtake the failed one");
        ranOtherKey.Should().BeTrue();
        s.WaitIdle(TimeSpan.Zero).Should().BeTrue();
    }

    [Fact]
    public async Task A_keys_backlog_is_handed_over_as_one_group_in_order_up_to_the_group_size()
    {
        var groups = new ConcurrentQueue<int[]>();
        var first = new TaskCompletionSource();
        using var s = new KeyedScheduler<int>(4, 3, async g =>
        {
            groups.Enqueue([.. g]);
            if (g[0] == 0)
            {
                await first.Task; // hold the first group while the key's backlog builds up
            }
        }, _ => { });
        s.Enqueue("k", 0);
        await Eventually.TrueAsync(() => !groups.IsEmpty, TimeSpan.FromSeconds(5), "the first group to start");
        for (var i = 1; i <= 7; i++)
        {
            s.Enqueue("k", i);
        }

        first.SetResult();
        await Eventually.TrueAsync(() => s.Pending == 0, TimeSpan.FromSeconds(5), "all items to finish");
        groups.Select(g => string.Join(",", g)).Should().Equal("0", "1,2,3", "4,5,6", "7");
    }

    private static KeyedScheduler<Func<Task>> Scheduler(int maxConcurrency, Action<Exception> onError) =>
        new(maxConcurrency, 1, async group =>
        {
            foreach (var work in group)
            {
                await work();
            }
        }, onError);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
