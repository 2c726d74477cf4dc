using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using MesErpStreams.Hosting;
using Spectre.Console;

namespace MesErpStreams.Replay.Internal;

/// <summary>Builds <c>meserp replay dlq</c> and <c>meserp replay topic</c>, which share most options.</summary>
internal static class ReplayCommandFactory
{
    public static Command Create(bool deadLetters)
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var kafkaProps = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var from = new Option<string>("--from") { Description = deadLetters ? "Dead-letter topic to read (mes.events.dlq, erp.posting-commands.dlq)." : "Topic to re-read.", Required = true };
        var to = new Option<string?>("--to")
        {
            Description = deadLetters ? "Target topic (default: each record's origin header, meserp.source.topic or meserp.original.topic)." : "Target topic.",
            Required = !deadLetters,
        };
        var reason = new Option<string[]>("--reason") { Description = "Only dead letters with this meserp.reason (repeatable), e.g. MASTER_DATA_MISSING.", Arity = ArgumentArity.ZeroOrMore };
        var failureClass = new Option<string[]>("--failure-class") { Description = "Only dead letters with this meserp.failure.class (repeatable), e.g. server-error, timeout, connection.", Arity = ArgumentArity.ZeroOrMore };
        var key = new Option<string[]>("--key") { Description = "Only records with this key (repeatable), e.g. 1000/4100001.", Arity = ArgumentArity.ZeroOrMore };
        var since = TimeOption("--since", "Only records with a timestamp at or after this: ISO 8601 (UTC if no offset) or a duration ago (30m, 2h).");
        var until = TimeOption("--until", "Only records with a timestamp before this (same forms as --since).");
        var startOffset = OffsetOption("--start-offset", "First offset of a partition, PARTITION:OFFSET (repeatable; overrides --since).");
        var endOffset = OffsetOption("--end-offset", "End offset (exclusive) of a partition, PARTITION:OFFSET (repeatable).");
        var rate = new Option<double>("--rate") { Description = "Most records written per second (0 = unlimited).", DefaultValueFactory = _ => 0 };
        var max = new Option<long?>("--max-records") { Description = "Stop after this many matching records." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be replayed (one line per record) and write nothing." };
        var command = deadLetters
            ? new Command("dlq", "Re-drive dead letters back to the topic each came from (or --to), filtered by reason, failure class, key and time. Safe to repeat: events keep their ids, commands their idempotency keys.")
            : new Command("topic", "Re-read a topic's time or offset range into a target topic (e.g. after an outage), filtered by key.");
        command.Options.Add(bootstrap);
        command.Options.Add(kafkaProps);
        command.Options.Add(config);
        command.Options.Add(from);
        command.Options.Add(to);
        if (deadLetters)
        {
            command.Options.Add(reason);
            command.Options.Add(failureClass);
        }

        foreach (var option in new Option[] { key, since, until, startOffset, endOffset, rate, max, dryRun })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var options = new ReplayOptions
            {
                Kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps)),
                SourceTopic = parse.GetValue(from)!,
                TargetTopic = parse.GetValue(to),
                Reasons = deadLetters ? parse.GetValue(reason) ?? [] : [],
                FailureClasses = deadLetters ? parse.GetValue(failureClass) ?? [] : [],
                Keys = parse.GetValue(key) ?? [],
                Since = parse.GetValue(since),
                Until = parse.GetValue(until),
                StartOffsets = parse.GetValue(startOffset) ?? [],
                EndOffsets = parse.GetValue(endOffset) ?? [],
                RecordsPerSecond = parse.GetValue(rate),
                MaxRecords = parse.GetValue(max),
                DryRun = parse.GetValue(dryRun),
            };
            var summary = await RunWithProgressAsync(options, ct);
            Print(summary);
            return 0;
        });
        return command;
    }

    private static async Task<ReplaySummary> RunWithProgressAsync(ReplayOptions options, CancellationToken ct)
    {
        if (Console.IsOutputRedirected || Console.IsErrorRedirected || options.DryRun)
        {
            return await ReplayRunner.RunAsync(options, null, options.DryRun ? Console.Out : null, ct);
        }

        ReplaySummary? summary = null;
        await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"replaying {options.SourceTopic}");
            summary = await ReplayRunner.RunAsync(options, p =>
            {
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = Math.Min(p.Scanned, task.MaxValue);
                task.Description = $"replaying {options.SourceTopic}: {p.Matched} matched";
            }, null, ct);
            task.Value = task.MaxValue;
        });
        return summary!;
    }

    private static void Print(ReplaySummary s)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scanned={s.Scanned} matched={s.Matched} replayed={s.Replayed} skipped_no_target={s.SkippedNoTarget} dry_run={s.DryRun.ToString().ToLowerInvariant()}"));
        foreach (var (t, n) in s.ByTarget.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target {t}={n}"));
        }

        foreach (var (r, n) in s.ByReason.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reason {r}={n}"));
        }
    }

    private static Option<DateTimeOffset?> TimeOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (CommonOptions.TryParseDuration(text, out var ago) && ago > TimeSpan.Zero && !text.Contains('-', StringComparison.Ordinal))
            {
                return DateTimeOffset.UtcNow - ago;
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                return t;
            }

            r.AddError($"{name}: '{text}' is neither an ISO 8601 time nor a duration ago (30m, 2h).");
            return null;
        },
    };

    private static Option<Dictionary<int, long>> OffsetOption(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = r => ParseOffsets(r, name),
    };

    private static Dictionary<int, long> ParseOffsets(ArgumentResult r, string name)
    {
        var result = new Dictionary<int, long>();
        foreach (var token in r.Tokens)
        {
            var parts = token.Value.Split(':');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var p) && p >= 0
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var o) && o >= 0)
            {
                result[p] = o;
            }
            else
            {
                r.AddError($"{name}: '{token.Value}' is not PARTITION:OFFSET.");
            }
        }

        return result;
    }
}
