using System.CommandLine;
using MesErpStreams.Replay.Internal;

namespace MesErpStreams.Replay;

/// <summary><c>meserp replay</c>: <c>dlq</c> re-drives dead letters, <c>topic</c> re-reads a range into a target topic.</summary>
public static class ReplayCommand
{
    /// <summary>Creates the command with its sub-commands.</summary>
    public static Command Create()
    {
        var command = new Command("replay", "Replay after an outage: re-drive dead letters to where they came from, or re-read a topic range; filtered, rate limited, dry-run, idempotent.");
        command.Subcommands.Add(ReplayCommandFactory.Create(deadLetters: true));
        command.Subcommands.Add(ReplayCommandFactory.Create(deadLetters: false));
        return command;
    }
}
