using System.Text.RegularExpressions;
using MesErpStreams.TestUtils;

namespace MesErpStreams.Cli.IntegrationTests;

/// <summary>What a plant engineer reads (first plant trial, issue 26 item 8).</summary>
public sealed partial class MessagesForPeopleTests
{
    [Theory]
    [InlineData("process", "--dedupe-retention", "Default 7d.")]
    [InlineData("reconcile", "--settle", "Default 2m.")]
    [InlineData("edge publish", "--linger", "Default 100ms.")]
    public async Task Help_shows_durations_as_they_are_typed_not_as_timespans(string command, string flag, string expected)
    {
        var (exit, stdout, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(30), [.. command.Split(' '), "--help"]);

        exit.Should().Be(0, stderr);
        stdout.Split('\n').Single(l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal)).Should().Contain(expected);
        TimeSpanDefault().IsMatch(stdout).Should().BeFalse($"no default is shown as a TimeSpan (was [default: 7.00:00:00]):\n{stdout}");
    }

    [Fact]
    public async Task Schemas_check_finds_the_schemas_of_the_repository_it_was_built_in_from_another_directory()
    {
        // The tests' working directory has no schemas/: `meserp schemas check` used to stop at "--schemas-dir: directory
        // '…/schemas' does not exist" where `meserp embedded` found its schemas.
        var (_, stdout, stderr) = await MeserpProcess.RunAsync(TimeSpan.FromSeconds(60), "schemas", "check", "--schema-registry-url", "http://127.0.0.1:9");

        stderr.Should().NotContain("does not exist");
        stdout.Should().MatchRegex(@"schemas check: \d+ schema files in .*/schemas, \d+ subjects");
    }

    [GeneratedRegex(@"\[default: \d+(\.\d+)?:\d\d:\d\d")]
    private static partial Regex TimeSpanDefault();
}
