using Microsoft.Extensions.Logging;
using MesErpStreams.Observability;

namespace MesErpStreams.Pipeline.Engine;

/// <summary>What every task's transformer shares: options, codecs, and the instance's readiness gate.</summary>
/// <param name="Options">Pipeline behaviour.</param>
/// <param name="Codecs">Value codecs.</param>
/// <param name="ApplicationId">Written on dead letters of undecodable records.</param>
/// <param name="Lag">Consumer lag of the event partitions (group = application id); null in tests.</param>
/// <param name="InstanceRunning">
/// Whether the Streamiz instance is RUNNING (every task restored). Streamiz 1.8.2 runs wall-clock punctuations of
/// tasks that are still restoring; acting on a half-restored pending store would re-emit commands released long
/// ago, so a task's punctuations wait for its first processed record or for this gate.
/// </param>
/// <param name="CloseGuard">Refuses to open tasks after Streamiz closed tasks dirty (see <see cref="DirtyCloseGuard"/>); null in tests.</param>
/// <param name="Log">Where tasks say what waits, what is released and what is dead-lettered (rate-limited per task); null: nowhere.</param>
internal sealed record EngineSettings(PipelineOptions Options, PipelineCodecs Codecs, string ApplicationId, Func<bool> InstanceRunning, ConsumerLagMonitor? Lag = null,
    DirtyCloseGuard? CloseGuard = null, ILogger? Log = null);
