using System.CommandLine;
using MesErpStreams.Cli.Run;
using MesErpStreams.Hosting;

namespace MesErpStreams.Cli.Commands;

/// <summary>
/// <c>meserp run</c>: the whole pipeline in one process — embedded Kafka and schema registry (or real ones), the ERP
/// simulator, the processor, the sink and the MES simulator — with a live summary and an end-of-run reconciliation.
/// </summary>
public static class RunCommand
{
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
            Rate = Positive(new Option<double>("--rate") { Description = "MES events per second from the simulator.", DefaultValueFactory = _ => 50 }, "--rate"),
            Seed = new Option<int>("--seed") { Description = "Simulator seed: the same seed gives the same traffic.", DefaultValueFactory = _ => 42 },
            DuplicateRate = Fraction(new Option<double>("--duplicate-rate") { Description = "Share of events re-sent (duplicates).", DefaultValueFactory = _ => 0.02 }, "--duplicate-rate"),
            InvalidRate = Fraction(new Option<double>("--invalid-rate") { Description = "Share of invalid events.", DefaultValueFactory = _ => 0.01 }, "--invalid-rate"),
            LateMasterDataRate = Fraction(new Option<double>("--late-master-data-rate") { Description = "Share of work orders whose master data arrives after their first events.", DefaultValueFactory = _ => 0.1 }, "--late-master-data-rate"),
            DataDir = new Option<DirectoryInfo?>("--data-dir") { Description = "Where state stores and the ERP ledger live (default: a new temporary directory, removed at exit)." },
            Brokers = CommonOptions.InRange(new Option<int>("--brokers") { Description = "Brokers of the embedded cluster (1-10).", DefaultValueFactory = _ => 1 }, 1, 10),
            ErpPort = CommonOptions.InRange(new Option<int>("--erp-port") { Description = "Port of the ERP simulator on 127.0.0.1 (0 = ephemeral).", DefaultValueFactory = _ => 0 }, 0, 65535),
            RegistryPort = CommonOptions.InRange(new Option<int>("--registry-port") { Description = "Port of the embedded schema registry (0 = ephemeral).", DefaultValueFactory = _ => 0 }, 0, 65535),
            SummaryInterval = new Option<TimeSpan?>("--summary-interval")
            {
                Description = "Interval of the live summary line. Default 5s.",
                CustomParser = r => CommonOptions.ParseDuration(r, "--summary-interval"),
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

    private static Option<double> Positive(Option<double> option, string name)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is not > 0 || double.IsInfinity(r.GetValueOrDefault<double>()))
            {
                r.AddError($"{name} must be a positive number.");
            }
        });
        return option;
    }

    private static Option<double> Fraction(Option<double> option, string name)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1 or double.NaN)
            {
                r.AddError($"{name} must be between 0 and 1.");
            }
        });
        return option;
    }
}
