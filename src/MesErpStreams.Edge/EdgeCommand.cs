using System.CommandLine;
using MesErpStreams.Edge.Internal;

namespace MesErpStreams.Edge;

/// <summary><c>meserp edge</c>: the plant edge (<c>publish</c> JSON Lines through the outbox, <c>simulate</c> MES traffic).</summary>
public static class EdgeCommand
{
    /// <summary>Creates the command with its sub-commands.</summary>
    public static Command Create()
    {
        var command = new Command("edge", "Plant edge: publish MES events through a durable local outbox, or simulate a plant's MES traffic.");
        command.Subcommands.Add(PublishCommand.Create());
        command.Subcommands.Add(SimulateCommand.Create());
        return command;
    }
}
