using MesErpStreams.Pipeline.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace MesErpStreams.Pipeline.UnitTests;

public sealed class LocalStateGuardTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "meserp-guard-" + Guid.NewGuid().ToString("N"));

    public LocalStateGuardTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Store(string task) => Path.Combine(_dir, "app", task, "rocksdb", "dedupe", "000001.sst");

    private void WriteStore(string task)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Store(task))!);
        File.WriteAllText(Store(task), "data");
    }

    [Fact]
    public void State_left_by_a_run_that_did_not_close_cleanly_is_discarded()
    {
        WriteStore("0-1");
        WriteStore("0-4");

        LocalStateGuard.DiscardUnlessClosedCleanly(_dir, "app", NullLogger.Instance).Should().BeTrue();

        Directory.Exists(Path.Combine(_dir, "app")).Should().BeFalse("the stores restore from their changelogs");
    }

    [Fact]
    public void State_closed_cleanly_is_kept_once_and_a_crash_after_that_start_discards_it()
    {
        WriteStore("0-1");
        LocalStateGuard.MarkClosedCleanly(_dir, "app");

        LocalStateGuard.DiscardUnlessClosedCleanly(_dir, "app", NullLogger.Instance).Should().BeFalse();
        File.Exists(Store("0-1")).Should().BeTrue();
        File.Exists(LocalStateGuard.MarkerPath(_dir, "app")).Should().BeFalse("the running instance has not closed yet");

        // The run that started is killed: no marker is written, the next start discards.
        LocalStateGuard.DiscardUnlessClosedCleanly(_dir, "app", NullLogger.Instance).Should().BeTrue();
        File.Exists(Store("0-1")).Should().BeFalse();
    }

    [Fact]
    public void Other_applications_in_the_same_directory_are_left_alone()
    {
        WriteStore("0-1");
        var other = Path.Combine(_dir, "other-app", "0-1", "x");
        Directory.CreateDirectory(Path.GetDirectoryName(other)!);
        File.WriteAllText(other, "data");

        LocalStateGuard.DiscardUnlessClosedCleanly(_dir, "app", NullLogger.Instance);

        File.Exists(other).Should().BeTrue();
    }
}
