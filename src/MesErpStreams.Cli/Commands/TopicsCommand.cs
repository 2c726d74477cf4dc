using System.CommandLine;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Hosting;
using MesErpStreams.Kafka.Provisioning;

namespace MesErpStreams.Cli.Commands;

/// <summary><c>meserp topics</c>: show and provision the topic catalog.</summary>
public static class TopicsCommand
{
    /// <summary>Creates the command with its <c>list</c>, <c>apply</c> and <c>strimzi</c> sub-commands.</summary>
    public static Command Create()
    {
        var command = new Command("topics", "Show or provision the topic catalog.");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateApply());
        command.Subcommands.Add(CreateStrimzi());
        return command;
    }

    private static Command CreateList()
    {
        var list = new Command("list", "Print the topic catalog.");
        list.SetAction(_ =>
        {
            Console.WriteLine($"{"topic",-40} {"partitions",10} {"rf",3} {"minISR",6} {"cleanup",-8} {"retention.ms",14}  role");
            foreach (var t in TopicCatalog.Default.Topics)
            {
                Console.WriteLine($"{t.Name,-40} {t.Partitions,10} {t.ReplicationFactor,3} {t.MinInsyncReplicas,6} {t.CleanupPolicy,-8} {t.RetentionMs,14}  {t.Role}");
            }

            return 0;
        });
        return list;
    }

    private static Command CreateApply()
    {
        var bootstrap = CommonOptions.BootstrapServers();
        var props = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var apply = new Command("apply", "Create missing catalog topics on a Kafka cluster through the admin API; report topics whose settings differ (exit code 1). The embedded cluster applies the catalog itself at start.")
        {
            bootstrap, props, config,
        };
        apply.SetAction(async (parse, ct) =>
        {
            var kafka = CommonOptions.Kafka(CommonOptions.BuildConfiguration(parse.GetValue(config)), parse.GetValue(bootstrap), parse.GetValue(props));
            var results = await new AdminClientTopicProvisioner(kafka.ToAdminConfig()).ApplyAsync(TopicCatalog.Default, ct);
            foreach (var r in results)
            {
                Console.WriteLine(r);
            }

            var bad = results.Count(r => r.Action is TopicApplyAction.Drifted or TopicApplyAction.Failed);
            Console.WriteLine(bad == 0 ? $"{results.Count} topics as declared" : $"{bad} topic(s) differ from the catalog or failed");
            return bad == 0 ? 0 : 1;
        });
        return apply;
    }

    private static Command CreateStrimzi()
    {
        var output = new Option<FileInfo?>("--out") { Description = "Write the manifests to this file (default: standard output)." };
        var cluster = new Option<string>("--cluster")
        {
            Description = "Value of the strimzi.io/cluster label: the name of the Strimzi Kafka resource.",
            DefaultValueFactory = _ => StrimziTopicManifests.DefaultClusterName,
        };
        cluster.Validators.Add(r =>
        {
            if (!StrimziTopicManifests.IsValidClusterName(r.GetValueOrDefault<string>() ?? ""))
            {
                r.AddError("--cluster must be a Kubernetes name: 1-63 lowercase letters, digits, '-' or '.'.");
            }
        });
        var check = new Option<bool>("--check") { Description = "Do not write: exit 1 when the --out file differs from the catalog." };
        var strimzi = new Command("strimzi", "Render the catalog as Strimzi KafkaTopic resources (e.g. --out k8s/topics/kafka-topics.yaml).")
        {
            output, cluster, check,
        };
        strimzi.Validators.Add(r =>
        {
            if (r.GetValue(check) && r.GetValue(output) is null)
            {
                r.AddError("--check needs --out (the file to compare).");
            }
        });
        strimzi.SetAction(async (parse, ct) =>
        {
            var yaml = StrimziTopicManifests.Render(TopicCatalog.Default, parse.GetValue(cluster)!);
            if (parse.GetValue(output) is not { } file)
            {
                await Console.Out.WriteAsync(yaml);
                return 0;
            }

            if (parse.GetValue(check))
            {
                var same = file.Exists && (await File.ReadAllTextAsync(file.FullName, ct)).ReplaceLineEndings("\n") == yaml;
                await Console.Out.WriteLineAsync(same ? $"{file} matches the catalog" : $"{file} differs from the catalog: run `{StrimziTopicManifests.RegenerateCommand}`");
                return same ? 0 : 1;
            }

            await File.WriteAllTextAsync(file.FullName, yaml, ct);
            await Console.Out.WriteLineAsync($"wrote {TopicCatalog.Default.Topics.Count} KafkaTopic resources to {file}");
            return 0;
        });
        return strimzi;
    }
}
