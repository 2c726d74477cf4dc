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
            MesErpStreams.Pipeline.Hosting.ProcessCommand.Create(),
        ];
        foreach (var command in commands)
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
