using System.CommandLine;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Kafka.Provisioning;

namespace MesErpStreams.Cli.Commands;

/// <summary><c>meserp embedded</c>: an embedded Kafka cluster with the topic catalog applied, for development.</summary>
public static class EmbeddedCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var brokers = new Option<int>("--brokers") { Description = "Number of brokers (1-10).", DefaultValueFactory = _ => 3 };
        brokers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10)
            {
                r.AddError("--brokers must be between 1 and 10.");
            }
        });
        var portBase = new Option<int?>("--port-base")
        {
            Description = "Listen on fixed loopback ports PORT_BASE..PORT_BASE+brokers-1 (default: ephemeral ports).",
        };
        portBase.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } p && (p < 1024 || p > 65525))
            {
                r.AddError("--port-base must be between 1024 and 65525.");
            }
        });
        var duration = CommonOptions.Duration("Stop after this long (default: run until Ctrl-C).");
        var command = new Command("embedded", "Start an embedded Kafka cluster (librdkafka mock) on loopback, apply the topic catalog, print the bootstrap servers, run until Ctrl-C or --duration.")
        {
            brokers, portBase, duration,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var cluster = EmbeddedKafkaCluster.Start(new EmbeddedKafkaClusterOptions
            {
                BrokerCount = parse.GetValue(brokers),
                PortBase = parse.GetValue(portBase),
            });
            var results = await new EmbeddedTopicProvisioner(cluster).ApplyAsync(TopicCatalog.Default, ct);
            foreach (var r in results)
            {
                Console.WriteLine($"topic {r}");
            }

            Console.WriteLine($"librdkafka {EmbeddedKafkaCluster.NativeVersion} mock cluster with {cluster.Options.BrokerCount} broker(s)");
            Console.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
            Console.Out.Flush();
            try
            {
                await Task.Delay(parse.GetValue(duration) ?? Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: fall through to a clean shutdown.
            }

            Console.WriteLine("stopping embedded cluster");
            return results.Any(r => r.Action == TopicApplyAction.Failed) ? 1 : 0;
        });
        return command;
    }
}
