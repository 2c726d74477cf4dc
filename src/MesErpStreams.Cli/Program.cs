using MesErpStreams.Cli;

// Sub-commands are listed in MeserpRootCommand.cs.
return await CliRunner.RunAsync(MeserpRootCommand.Create(), args);
