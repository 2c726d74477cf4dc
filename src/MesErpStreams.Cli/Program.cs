using System.CommandLine;
using MesErpStreams.Cli;
using MesErpStreams.Cli.Commands;

var root = new RootCommand("MesErpStreams: MES shop-floor events to ERP postings over Kafka, exactly once.");
Command[] commands =
[
    EmbeddedCommand.Create(),
    TopicsCommand.Create(),
    // Component commands: one line each.
];
foreach (var command in commands)
{
    root.Subcommands.Add(command);
}

return await CliRunner.RunAsync(root, args);
