using System.CommandLine;
using MesErpStreams.Cli.Run;
using MesErpStreams.Edge.Simulation;
using MesErpStreams.Hosting;

namespace MesErpStreams.Cli.Commands;

/// <summary>
/// <c>meserp run</c>: the whole pipeline in one process — embedded Kafka and schema registry (or real ones), the ERP
/// simulator, the processor, the sink and the MES simulator — with a live summary and an end-of-run reconciliation.
/// </summary>
public static class RunCommand
{
    private static readonly MesSimulatorOptions SimulatorDefaults = new();

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var o = new RunCommandOptions
        {
            Bootstrap = CommonOptions.BootstrapServers(),
            KafkaProperties = CommonOptions.KafkaProperties(),
            Config = CommonOptions.ConfigFile(),
            RegistryUrl = RegistryOptions.Url(),
            Duration = CommonOptions.Duration("Run this long, then drain, reconcile and exit (default: until Ctrl-C)."),
            SummaryJson = new Option<FileInfo?>("--summary-json") { Description = "Also write the final summary as JSON to this file." },
            Rate = CommonOptions.Number("--rate", "MES events per second from the simulator.", 50, v => v > 0 && double.IsFinite(v), "a positive number"),
            Seed = new Option<int>("--seed") { Description = "Simulator seed: the same seed gives the same traffic.", DefaultValueFactory = _ => 42 },
            DuplicateRate = CommonOptions.Number("--duplicate-rate", "Share of events re-sent (duplicates).", 0.02, v => v is >= 0 and <= 1, "between 0 and 1"),
            InvalidRate = CommonOptions.Number("--invalid-rate", "Share of invalid events.", 0.01, v => v is >= 0 and <= 1, "between 0 and 1"),
            LateMasterDataRate = CommonOptions.Number("--late-master-data-rate", "Share of work orders whose master data arrives after their first events.", 0.1, v => v is >= 0 and <= 1, "between 0 and 1"),
            Plants = CommonOptions.WholeNumber("--plants", "Plants of the MES simulator (1-9).", SimulatorDefaults.Plants, 1, 9),
            ActiveOrders = CommonOptions.WholeNumber("--active-orders", "Work orders in progress at a time per plant (1-1000); a multi-plant estate at thousands of events/s has many.",
                SimulatorDefaults.ActiveOrdersPerPlant, 1, 1000),
            ErpLatencyMs = CommonOptions.WholeNumber("--erp-latency-ms", "Latency the embedded ERP simulator adds to every posting, in ms (0-60000).", 0, 0, 60_000),
            DataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Where state stores and the ERP ledger live (default: a new temporary directory, removed at exit)." },
            Brokers = CommonOptions.InRange(new Option<int>("--brokers") { Description = "Brokers of the embedded cluster (1-10).", DefaultValueFactory = _ => 1 }, 1, 10),
            ErpPort = CommonOptions.InRange(new Option<int>("--erp-port") { Description = "Port of the ERP simulator on 127.0.0.1 (0 = ephemeral).", DefaultValueFactory = _ => 0 }, 0, 65535),
            RegistryPort = CommonOptions.InRange(new Option<int>("--registry-port") { Description = "Port of the embedded schema registry (0 = ephemeral).", DefaultValueFactory = _ => 0 }, 0, 65535),
            SummaryInterval = new Option<TimeSpan?>("--summary-interval")
            {
                Description = "Interval of the live summary line. Default 5s.",
                CustomParser = r => CommonOptions.ParseDuration(r, "--summary-interval"),
            },
            MaxDrain = new Option<TimeSpan?>("--max-drain")
            {
                Description = "Longest drain after the simulator stops. The drain ends earlier when every posting is in the ERP ledger, or when the ledger " +
                              "has stopped growing for 15 s once the drain reserve (a quarter of --duration, 5-20 s, plus 30 s) is over. A drain cut off " +
                              "while postings still arrive is reported as such (an overloaded run's backlog, not a loss). Default 10m.",
                CustomParser = r => CommonOptions.ParseDuration(r, "--max-drain"),
            },
        };
        var command = new Command("run", "Run the whole pipeline on this machine: embedded Kafka + schema registry (unless --bootstrap-servers/--schema-registry-url), ERP simulator, processor, sink and MES simulator. Prints the addresses and a live summary; at the end (Ctrl-C or --duration) drains, reconciles the ERP ledger against what the simulated events imply, prints a final summary and exits 1 if reconciliation fails.");
        foreach (var option in o.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => new RunHost(o.Bind(parse)).RunAsync(ct));
        return command;
    }
}
