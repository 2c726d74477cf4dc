using System.Runtime.CompilerServices;

// The Cli's assembly is named meserp, so src/Directory.Build.props grants its internals to meserp.IntegrationTests;
// its tests (the run's metrics, summary and figures) are in MesErpStreams.Cli.IntegrationTests.
[assembly: InternalsVisibleTo("MesErpStreams.Cli.IntegrationTests")]
