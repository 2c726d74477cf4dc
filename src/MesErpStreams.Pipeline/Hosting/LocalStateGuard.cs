using Microsoft.Extensions.Logging;

namespace MesErpStreams.Pipeline.Hosting;

/// <summary>
/// Local state is trusted only after a clean close, as Kafka Streams does under exactly once. Streamiz 1.8.2 flushes
/// RocksDB before it commits a transaction and keeps the checkpoint of the last clean close while it runs, so a
/// process killed between the flush and the commit leaves the aborted transaction's store writes on disk, and the
/// restart restores the changelog on top of them: an event whose dedupe entry was written in the aborted transaction
/// then counts as a duplicate and its command is lost (found by the fault suite: 3 commands missing after a
/// processor was killed mid-transaction). A marker written after a clean close, and removed at start, tells the two
/// apart; without it the application's task directories are deleted and every store restores from its changelog.
/// </summary>
internal static class LocalStateGuard
{
    /// <summary>The marker of a clean close of <paramref name="applicationId"/> in <paramref name="stateDirectory"/>.</summary>
    public static string MarkerPath(string stateDirectory, string applicationId) => Path.Combine(stateDirectory, applicationId + ".closed-cleanly");

    /// <summary>
    /// Before a start: keeps the local state if the last run closed cleanly (and removes the marker, so a crash of
    /// this run is noticed next time); otherwise deletes the application's task directories.
    /// </summary>
    /// <returns>Whether local state was discarded.</returns>
    public static bool DiscardUnlessClosedCleanly(string stateDirectory, string applicationId, ILogger log)
    {
        var marker = MarkerPath(stateDirectory, applicationId);
        if (File.Exists(marker))
        {
            File.Delete(marker);
            return false;
        }

        var tasks = new DirectoryInfo(Path.Combine(stateDirectory, applicationId));
        if (!tasks.Exists || !tasks.EnumerateFileSystemInfos().Any())
        {
            return false;
        }

        log.LogWarning("local state of {ApplicationId} in {Directory} was not closed cleanly (crash, kill or fatal error): discarding it; the stores restore from their changelogs",
            applicationId, tasks.FullName);
        tasks.Delete(recursive: true);
        return true;
    }

    /// <summary>After a clean close: the local state may be used by the next start.</summary>
    public static void MarkClosedCleanly(string stateDirectory, string applicationId) =>
        File.WriteAllText(MarkerPath(stateDirectory, applicationId), DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
}
