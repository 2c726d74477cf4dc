namespace MesErpStreams.Pipeline.Engine;

/// <summary>
/// Stops the processor when Streamiz 1.8.2 closes a thread's tasks dirty and means to reopen them in the same process.
/// It does so when it takes the tasks as migrated (a producer fenced with an error it deems recoverable, a record for a
/// task already closed) or, were its inner-exception handler to answer CONTINUE, after any error: it aborts the open
/// transaction, then still flushes the stores and writes their checkpoints, closes the tasks and asks its client
/// supplier for a new producer. The reopened tasks would then read the aborted transaction's store writes — a dedupe
/// entry whose command was aborted makes the re-consumed event a duplicate, and its command is lost.
/// <see cref="Hosting.LocalStateGuard"/> covers a restart; this guard turns the in-process path into one: once tripped, every
/// task that opens refuses to initialise, so the thread dies before it processes or commits anything, the instance
/// stops (ERROR), the processor exits 1, and its restart discards the local state and restores it from the changelogs.
/// </summary>
public sealed class DirtyCloseGuard
{
    private string? _reason;

    /// <summary>Why the guard tripped; null while it has not.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Records that tasks were closed dirty (the first reason stays).</summary>
    public void Trip(string reason) => Interlocked.CompareExchange(ref _reason, reason, null);

    /// <summary>Called as a task opens: throws once the guard has tripped.</summary>
    /// <exception cref="InvalidOperationException">The guard tripped; the message says why.</exception>
    public void ThrowIfTripped(string task)
    {
        if (Reason is { } reason)
        {
            throw new InvalidOperationException(
                $"task {task} not reopened: Streamiz closed this instance's tasks dirty ({reason}) and their local stores may hold an aborted " +
                "transaction's writes; the processor stops so that its restart restores them from the changelogs");
        }
    }
}
