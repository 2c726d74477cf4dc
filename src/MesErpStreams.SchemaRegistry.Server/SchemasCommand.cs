using System.CommandLine;
using MesErpStreams.SchemaRegistry.Server.Internal.Governance;
using Microsoft.Extensions.Configuration;

namespace MesErpStreams.SchemaRegistry.Server;

/// <summary>
/// <c>meserp schemas check|register|list</c>: schema governance against a Confluent-compatible registry. The
/// registry URL and credentials come from <c>--schema-registry-url</c>, the <c>SchemaRegistry</c> section of
/// <c>--config</c>, or the environment (<c>MESERP_SchemaRegistry__Url</c>, <c>MESERP_SchemaRegistry__BasicAuthUserInfo</c>,
/// and the TLS settings of <see cref="SchemaRegistryClientOptions"/>).
/// </summary>
public static class SchemasCommand
{
    /// <summary>Creates the command with its sub-commands, reporting to standard output.</summary>
    public static Command Create() => Create(Console.Out);

    /// <summary>Creates the command with its sub-commands, reporting to <paramref name="output"/>.</summary>
    public static Command Create(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var command = new Command("schemas", "Schema governance: check schemas/ against the registry, register it, list subjects.");
        command.Subcommands.Add(CreateCheck(output));
        command.Subcommands.Add(CreateRegister(output));
        command.Subcommands.Add(CreateList(output));
        return command;
    }

    private static Command CreateCheck(TextWriter output)
    {
        var o = new CommonSchemaOptions();
        var baseline = new Option<DirectoryInfo[]>("--baseline-dir")
        {
            Description = "Instead of a running registry: start an embedded cluster and registry seeded with these earlier schemas/ directories (repeatable, oldest first), and check against it (CI).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        baseline.Validators.Add(r =>
        {
            foreach (var d in r.GetValueOrDefault<DirectoryInfo[]>() ?? [])
            {
                if (!d.Exists)
                {
                    r.AddError($"--baseline-dir: directory '{d.FullName}' does not exist.");
                }
            }
        });
        var level = new Option<string>("--compatibility")
        {
            Description = "Global compatibility level of the baseline registry (with --baseline-dir).",
            DefaultValueFactory = _ => "BACKWARD",
        };
        level.Validators.Add(r =>
        {
            if (!CompatibilityLevelNames.TryParse(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError($"--compatibility: '{r.GetValueOrDefault<string>()}' is not one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.");
            }
        });
        var check = new Command("check", "Check that every schema parses and is compatible with what the registry holds for its subject, per the subject's compatibility level. Exit code 1 with a report otherwise.");
        o.AddTo(check);
        check.Options.Add(baseline);
        check.Options.Add(level);
        check.SetAction(async (parse, ct) =>
        {
            var dir = SchemaDirectory.Load(parse.GetValue(o.SchemasDir)!.FullName);
            var strategy = o.Strategy(parse);
            var baselines = parse.GetValue(baseline) ?? [];
            if (baselines.Length > 0 || parse.GetValue(o.Url) is null && o.ConfiguredUrl(parse) is null)
            {
                if (baselines.Length == 0)
                {
                    throw new ArgumentException("--schema-registry-url: no registry URL (option, config SchemaRegistry:Url or MESERP_SchemaRegistry__Url) and no --baseline-dir.");
                }

                if (!CompatibilityLevelNames.TryParse(parse.GetValue(level), out var l))
                {
                    throw new ArgumentException($"--compatibility: '{parse.GetValue(level)}' is not a compatibility level.");
                }

                await using var seeded = await BaselineRegistry.StartAsync(baselines.Select(b => b.FullName).ToArray(), strategy, l, output, ct);
                using var baselineClient = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = seeded.Url });
                return await new SchemaGovernance(baselineClient, output).CheckAsync(dir, strategy, $"embedded registry seeded from {baselines.Length} baseline(s)", ct);
            }

            using var client = o.Client(parse);
            return await new SchemaGovernance(client, output).CheckAsync(dir, strategy, o.ConfiguredUrl(parse)!, ct);
        });
        return check;
    }

    private static Command CreateRegister(TextWriter output)
    {
        var o = new CommonSchemaOptions();
        var register = new Command("register", "Register every schema under its subject(s). Exit code 1 when the registry refuses one (incompatible or invalid).");
        o.AddTo(register);
        register.SetAction(async (parse, ct) =>
        {
            using var client = o.Client(parse);
            return await new SchemaGovernance(client, output).RegisterAsync(SchemaDirectory.Load(parse.GetValue(o.SchemasDir)!.FullName), o.Strategy(parse), ct);
        });
        return register;
    }

    private static Command CreateList(TextWriter output)
    {
        var o = new CommonSchemaOptions();
        var list = new Command("list", "List the registry's subjects with latest version, schema id, compatibility level and record name.");
        list.Options.Add(o.Url);
        list.Options.Add(o.Config);
        list.SetAction(async (parse, ct) =>
        {
            using var client = o.Client(parse);
            return await new SchemaGovernance(client, output).ListAsync(ct);
        });
        return list;
    }

    /// <summary>Options every sub-command shares (fresh instances per sub-command).</summary>
    private sealed class CommonSchemaOptions
    {
        public Option<string?> Url { get; } = new("--schema-registry-url")
        {
            Description = "Schema registry URL(s), comma-separated. Default: SchemaRegistry:Url from --config or MESERP_SchemaRegistry__Url.",
        };

        public Option<DirectoryInfo> SchemasDir { get; } = new("--schemas-dir")
        {
            Description = "Directory of .avsc files with subjects.json. Default: schemas/ in the working directory, else the schemas/ of the repository this meserp was built in.",
            DefaultValueFactory = _ => FindSchemasDirectory(),
        };

        /// <summary>
        /// schemas/ in the working directory, else the first schemas/ (with subjects.json) above the executable: a
        /// `make build` leaves meserp under src/MesErpStreams.Cli/bin/…, and artifacts/meserp links there, so
        /// `artifacts/meserp schemas check` works from anywhere (first plant trial: it looked only in the working directory).
        /// </summary>
        private static DirectoryInfo FindSchemasDirectory()
        {
            var local = new DirectoryInfo("schemas");
            if (File.Exists(Path.Combine(local.FullName, "subjects.json")))
            {
                return local;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = new DirectoryInfo(Path.Combine(dir.FullName, "schemas"));
                if (File.Exists(Path.Combine(candidate.FullName, "subjects.json")))
                {
                    return candidate;
                }
            }

            return local;
        }

        public Option<string> StrategyOption { get; } = new("--subject-name-strategy")
        {
            Description = "topic (<topic>-value, default), record (record full name) or topic-record (<topic>-<record full name>).",
            DefaultValueFactory = _ => "topic",
        };

        public Option<FileInfo?> Config { get; } = new("--config") { Description = "JSON configuration file with a SchemaRegistry section. MESERP_* environment variables override it." };

        public CommonSchemaOptions()
        {
            Config.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<FileInfo?>() is { Exists: false } f)
                {
                    r.AddError($"--config: file '{f.FullName}' does not exist.");
                }
            });
        }

        public void AddTo(Command command)
        {
            SchemasDir.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<DirectoryInfo>() is { Exists: false } d)
                {
                    r.AddError($"--schemas-dir: directory '{d.FullName}' does not exist.");
                }
            });
            StrategyOption.AcceptOnlyFromAmong("topic", "record", "topic-record");
            command.Options.Add(Url);
            command.Options.Add(SchemasDir);
            command.Options.Add(StrategyOption);
            command.Options.Add(Config);
        }

        public SubjectNameStrategy Strategy(ParseResult parse) => parse.GetValue(StrategyOption) switch
        {
            "record" => SubjectNameStrategy.Record,
            "topic-record" => SubjectNameStrategy.TopicRecord,
            _ => SubjectNameStrategy.Topic,
        };

        public string? ConfiguredUrl(ParseResult parse) => Options(parse).Url is { Length: > 0 } u ? u : null;

        public CachedSchemaRegistryClient Client(ParseResult parse)
        {
            var options = Options(parse);
            if (string.IsNullOrWhiteSpace(options.Url))
            {
                throw new ArgumentException("--schema-registry-url is required (or SchemaRegistry:Url in --config, or MESERP_SchemaRegistry__Url).");
            }

            return new CachedSchemaRegistryClient(options);
        }

        private SchemaRegistryClientOptions Options(ParseResult parse)
        {
            var builder = new ConfigurationBuilder();
            if (parse.GetValue(Config) is { } file)
            {
                builder.AddJsonFile(file.FullName, optional: false);
            }

            var configuration = builder.AddEnvironmentVariables("MESERP_").Build();
            var options = new SchemaRegistryClientOptions();
            configuration.GetSection("SchemaRegistry").Bind(options);
            if (parse.GetValue(Url) is { Length: > 0 } url)
            {
                options.Url = url;
            }

            return options;
        }
    }
}
