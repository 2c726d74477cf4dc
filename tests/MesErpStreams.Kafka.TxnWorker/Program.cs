using System.Globalization;
using MesErpStreams.Kafka.TxnWorker;

// Usage: TxnWorker BOOTSTRAP INPUT OUTPUT GROUP TRANSACTIONAL_ID [HOLD_MS] [TXN_TIMEOUT_MS]
// Runs TransactionalPassthrough until SIGTERM/SIGINT (then finishes the open transaction and exits 0). Prints
// "open N" when a transaction has produced its outputs and is about to commit (held HOLD_MS, so that a test can kill
// the process inside it), "committed N" after each commit (N = inputs committed so far), "failed ..." on a fatal error.
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: TxnWorker BOOTSTRAP INPUT OUTPUT GROUP TRANSACTIONAL_ID [HOLD_MS] [TXN_TIMEOUT_MS]");
    return 2;
}

var options = new PassthroughOptions(args[0], args[1], args[2], args[3])
{
    TransactionalId = args[4],
    HoldBeforeCommit = TimeSpan.FromMilliseconds(args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 0),
    TransactionTimeoutMs = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 30000,
    // A killed member holds its partitions until its session times out; keep that short so a restart is quick.
    SessionTimeoutMs = 6000,
    OnOpen = n => Console.WriteLine($"open {n}"),
    OnCommitted = n => Console.WriteLine($"committed {n}"),
};
using var stop = new CancellationTokenSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var pipeline = new TransactionalPassthrough(options);
Console.WriteLine("started");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // SIGTERM or Ctrl-C: stop below.
}

await pipeline.StopAsync();
if (pipeline.Failure is { } failure)
{
    Console.WriteLine($"failed {failure.Message}");
    return 1;
}

Console.WriteLine("stopped");
return 0;
