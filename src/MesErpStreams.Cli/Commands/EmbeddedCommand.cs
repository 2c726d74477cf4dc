using System.CommandLine;
using MesErpStreams.Kafka.Catalog;
using MesErpStreams.Kafka.Embedded;
using MesErpStreams.Hosting;
using MesErpStreams.Kafka.Provisioning;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Server;

namespace MesErpStreams.Cli.Commands;

/// <summary><c>meserp embedded</c>: an embedded Kafka cluster with the topic catalog applied, for development.</summary>
public static class EmbeddedCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var brokers = CommonOptions.InRange(new Option<int>("--brokers") { Description = "Number of brokers (1-10).", DefaultValueFactory = _ => 3 }, 1, 10);
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
        var registryPort = CommonOptions.InRange(new Option<int>("--registry-port")
        {
            Description = "Port of the embedded schema registry on 127.0.0.1 (0 = ephemeral).",
            DefaultValueFactory = _ => 0,
        }, 0, 65535);
        var duration = CommonOptions.Duration("Stop after this long (default: run until Ctrl-C).");
        var command = new Command("embedded", "Start an embedded Kafka cluster (librdkafka mock) and schema registry on loopback, apply the topic catalog, register schemas/, print the addresses, run until Ctrl-C or --duration.")
        {
            brokers, portBase, registryPort, duration,
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

            await using var registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions
            {
                BootstrapServers = cluster.BootstrapServers,
                Url = $"http://127.0.0.1:{parse.GetValue(registryPort)}",
                CreateTopic = false, // the catalog created _schemas above
            }, ct);
            using (var client = new CachedSchemaRegistryClient(new SchemaRegistryClientOptions { Url = registry.Url }))
            {
                var registered = await ContractSchemaRegistration.RegisterAllAsync(client, cancellationToken: ct);
                Console.WriteLine($"registered {registered.Count} schema subjects from schemas/");
            }

            Console.WriteLine($"librdkafka {EmbeddedKafkaCluster.NativeVersion} mock cluster with {cluster.Options.BrokerCount} broker(s)");
            Console.WriteLine($"bootstrap.servers={cluster.BootstrapServers}");
            Console.WriteLine($"schema.registry.url={registry.Url}");
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
