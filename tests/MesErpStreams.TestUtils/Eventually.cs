using System.Diagnostics;

namespace MesErpStreams.TestUtils;

/// <summary>Bounded waiting for a condition: tests wait for readiness with a bound instead of sleeping.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it is true or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition did not become true in time; the message says what was awaited.</exception>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>Polls an async condition until it is true or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition did not become true in time.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(50));
        }
    }
}
