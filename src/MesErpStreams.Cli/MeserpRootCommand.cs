using System.CommandLine;
using MesErpStreams.Cli.Commands;

namespace MesErpStreams.Cli;

/// <summary>The <c>meserp</c> root command with every sub-command; tests parse command lines with it too.</summary>
public static class MeserpRootCommand
{
    /// <summary>Creates the root command.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("MesErpStreams: MES shop-floor events to ERP postings over Kafka, exactly once.");
        Command[] commands =
        [
            EmbeddedCommand.Create(),
            TopicsCommand.Create(),
            MesErpStreams.SchemaRegistry.Server.SchemasCommand.Create(),
            // Component commands: one line each.
            MesErpStreams.ErpSimulator.ErpSimulatorCommand.Create(),
            MesErpStreams.Sink.ErpSinkCommand.Create(),
            MesErpStreams.Pipeline.Hosting.ProcessCommand.Create(),
            MesErpStreams.Pipeline.Master.MasterDataCommand.Create(),
            RunCommand.Create(),
            MesErpStreams.Edge.EdgeCommand.Create(),
            MesErpStreams.Replay.ReplayCommand.Create(),
            MesErpStreams.Lineage.TraceCommand.Create(),
            MesErpStreams.Reconciliation.ReconcileCommand.Create(),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
