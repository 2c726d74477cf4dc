using MesErpStreams.Hosting;
using MesErpStreams.Sink;
using Microsoft.Extensions.Configuration;

namespace MesErpStreams.Deployment.Tests;

/// <summary>
/// Binds a worker's environment and command line the way its command does at start and runs the options'
/// validation: a setting with a bad value, or a required one missing, fails here instead of in a crash-looping pod.
/// Values from Secrets are unknown: they get a well-formed placeholder.
/// </summary>
internal static class WorkerConfiguration
{
    private const string SecretPlaceholder = "placeholder-user:placeholder-password";

    /// <summary>Null when the configuration binds and validates; otherwise the error.</summary>
    public static string? Check(MeserpCommandLine line, IEnumerable<(string Name, string? Value)> environment)
    {
        var values = environment
            .Where(e => e.Name.StartsWith(CommonOptions.EnvironmentPrefix, StringComparison.Ordinal))
            .Select(e => new KeyValuePair<string, string?>(e.Name[CommonOptions.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), e.Value ?? SecretPlaceholder));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        try
        {
            switch (line.CommandPath.Split(' ')[0])
            {
                case "process" or "edge" or "replay":
                    CommonOptions.Kafka(configuration, line.Option("--bootstrap-servers"), KafkaPropertyFlags(line));
                    RegistryOptions.Bind(configuration, line.Option("--schema-registry-url"));
                    break;
                case "topics":
                    CommonOptions.Kafka(configuration, line.Option("--bootstrap-servers"), KafkaPropertyFlags(line));
                    break;
                case "schemas":
                    RegistryOptions.Bind(configuration, line.Option("--schema-registry-url"));
                    break;
                case "sink":
                    CheckSink(line, configuration);
                    break;
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or UriFormatException)
        {
            return e.Message;
        }

        return null;
    }

    // The sink's own binding (the method its command runs at start).
    private static void CheckSink(MeserpCommandLine line, IConfiguration configuration) =>
        ErpSinkCommand.BindSettings(line.Parse, configuration);

    private static List<string> KafkaPropertyFlags(MeserpCommandLine line)
    {
        var result = new List<string>();
        for (var i = 0; i < line.Args.Count - 1; i++)
        {
            if (line.Args[i] == "--kafka-property")
            {
                result.Add(line.Args[i + 1]);
            }
        }

        return result;
    }
}
