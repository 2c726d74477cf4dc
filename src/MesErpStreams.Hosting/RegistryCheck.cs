using MesErpStreams.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace MesErpStreams.Hosting;

/// <summary>
/// The start-up check of the schema registry every role makes, as it checks its topics: a wrong URL (nothing there, or
/// something that is not a registry) stops the role at once, naming the URL and the answer, instead of a process that
/// looks healthy and fails on its first record (first plant trial: <c>meserp process</c> answered ready for 70 s).
/// An unreachable registry is waited for within a budget, since it may be starting too; a registry outage after the
/// start is ridden out by the roles themselves.
/// </summary>
public static class RegistryCheck
{
    /// <summary>How long a role waits at start for a registry that does not answer. Default 15 s.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(15);

    /// <summary>Asks the registry for its subjects; returns when it answers like a registry.</summary>
    /// <param name="client">The role's registry client.</param>
    /// <param name="url">The URL, for the message (credentials are not part of it).</param>
    /// <param name="budget">How long an unreachable registry is waited for.</param>
    /// <param name="log">Where the waiting is logged; null: nowhere.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="unreachableIsFatal">
    /// False for a role that works without the registry for a while (the edge buffers in its outbox): an unreachable
    /// registry is then logged, not thrown; a wrong URL still is.
    /// </param>
    /// <exception cref="InvalidOperationException">The registry answered like something else, or not within the budget; the message names the URL and the error.</exception>
    public static async Task EnsureReachableAsync(ISchemaRegistryClient client, string url, TimeSpan budget, ILogger? log, CancellationToken ct, bool unreachableIsFatal = true)
    {
        ArgumentNullException.ThrowIfNull(client);
        var deadline = DateTime.UtcNow + budget;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.GetSubjectsAsync(ct);
                return;
            }
            catch (SchemaRegistryException e) when (e.StatusCode is { } status && !e.IsTransient)
            {
                throw new InvalidOperationException($"schema registry {url} answered HTTP {status} to GET /subjects: not a Confluent-compatible schema registry, or the wrong URL ({e.Message}). Check --schema-registry-url / SchemaRegistry:Url.", e);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new InvalidOperationException($"schema registry {url} answered GET /subjects with something that is not a registry's JSON ({e.Message}). Check --schema-registry-url / SchemaRegistry:Url.", e);
            }
            catch (Exception e) when (e is not OperationCanceledException && IsUnreachable(e) && unreachableIsFatal && DateTime.UtcNow < deadline)
            {
                log?.LogWarning("schema registry {Url} not reachable yet (attempt {Attempt}): {Reason}", url, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, attempt)), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException && IsUnreachable(e) && !unreachableIsFatal)
            {
                log?.LogWarning("schema registry {Url} not reachable ({Reason}): going on; what needs it waits until it answers", url, e.Message);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && IsUnreachable(e))
            {
                throw new InvalidOperationException($"schema registry {url} not reachable within {budget.TotalSeconds:0} s: {e.Message}. Check --schema-registry-url / SchemaRegistry:Url and that the registry runs.", e);
            }
        }
    }

    /// <summary>
    /// <see cref="EnsureReachableAsync"/> for a command's start: writes the problem to <paramref name="stderr"/>, prefixed
    /// with the command's name, and returns false when the command must stop (exit 2).
    /// </summary>
    public static async Task<bool> CheckAtStartAsync(string command, ISchemaRegistryClient client, string url, TextWriter stderr, ILogger? log, CancellationToken ct,
        bool unreachableIsFatal = true)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            await EnsureReachableAsync(client, url, DefaultBudget, log, ct, unreachableIsFatal);
            return true;
        }
        catch (InvalidOperationException e)
        {
            await stderr.WriteLineAsync($"{command}: {e.Message}");
            return false;
        }
    }

    private static bool IsUnreachable(Exception e) =>
        e is SchemaRegistryException { IsTransient: true } or HttpRequestException or TimeoutException;
}
