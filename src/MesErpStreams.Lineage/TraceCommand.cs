using System.CommandLine;
using MesErpStreams.Hosting;
using MesErpStreams.Lineage.Internal;
using MesErpStreams.Pipeline;
using MesErpStreams.SchemaRegistry;

namespace MesErpStreams.Lineage;

/// <summary>
/// <c>meserp trace &lt;eventId&gt;</c>: shows one MES event's path through the topics in a time range — published,
/// deduplicated or processed, dead-lettered with reason, command emitted with idempotency key, retried per tier,
/// posted with ERP document number, duplicate at the ERP, rejected or failed — with timestamps, latency per hop and
/// each hop's W3C trace context. Reads with an assigned consumer and a throw-away group; never commits offsets.
/// Exit codes: 0 found, 1 not found in the range (or the read failed), 2 bad flags.
/// </summary>
public static class TraceCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var eventId = new Argument<string>("event-id") { Description = "The MES event id (UUID)." };
        eventId.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !Guid.TryParse(r.Tokens[0].Value, out _))
            {
                r.AddError($"event-id: '{r.Tokens[0].Value}' is not a UUID.");
            }
        });
        var bootstrap = CommonOptions.BootstrapServers();
        var kafkaProps = CommonOptions.KafkaProperties();
        var config = CommonOptions.ConfigFile();
        var registryUrl = RegistryOptions.Url();
        var from = TimeArgument.Option("--from", "Start of the time range: ISO 8601 (UTC unless an offset is given) or a duration ago (30m, 2h, 7d). Default 24h before --to.");
        var to = TimeArgument.Option("--to", "End of the time range (same forms as --from). Default now.");
        var json = new Option<bool>("--json") { Description = "Print the path as JSON instead of a table." };
        var applicationId = new Option<string>("--application-id")
        {
            Description = $"The processor's application id, whose pending store says which events wait for master data. Default {PipelineTopology.DefaultApplicationId}.",
            DefaultValueFactory = _ => PipelineTopology.DefaultApplicationId,
        };
        var timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = "Give up when the range is not read within this long. Default 2m.",
            CustomParser = r => CommonOptions.ParseDuration(r, "--timeout"),
        };
        var command = new Command("trace", "Show a MES event's path through the topics in a time range: published, deduplicated or processed, dead-lettered, command emitted, retried, posted with the ERP document number; with timestamps, latency per hop and W3C trace context. Exit 0 found, 1 not found.")
        {
            eventId, bootstrap, kafkaProps, config, registryUrl, from, to, json, timeout, applicationId,
        };
        command.SetAction(async (parse, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var rangeTo = parse.GetValue(to) ?? now;
            var rangeFrom = parse.GetValue(from) ?? rangeTo.AddHours(-24);
            if (rangeFrom >= rangeTo)
            {
                throw new ArgumentException($"--from ({rangeFrom:O}) must lie before --to ({rangeTo:O}).");
            }

            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(kafkaProps));
            var registryOptions = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            using var registry = new CachedSchemaRegistryClient(registryOptions);
            var tracer = new LineageTracer(kafka, registry, parse.GetValue(applicationId)!);
            var lineage = await tracer.TraceAsync(Guid.Parse(parse.GetValue(eventId)!), rangeFrom, rangeTo, parse.GetValue(timeout) ?? TimeSpan.FromMinutes(2), ct);
            await Console.Out.WriteAsync(parse.GetValue(json) ? LineageFormatter.Json(lineage) + Environment.NewLine : LineageFormatter.Text(lineage));
            var unreadable = lineage.Undecodable + lineage.Hops.Count(h => h.Details.ContainsKey("decode_error"));
            if (unreadable > 0)
            {
                // First plant trial: a wrong registry URL printed "value not readable" and nothing else.
                var reason = lineage.Hops.Select(h => h.Details.GetValueOrDefault("decode_error")).FirstOrDefault(e => e is not null);
                await Console.Error.WriteLineAsync($"warning: {unreadable} record(s) could not be decoded with the schema registry at {registryOptions.Url}" +
                    (reason is null ? string.Empty : $" ({reason})") + "; their hops show what the headers say. Check --schema-registry-url.");
            }

            return lineage.Found ? 0 : 1;
        });
        return command;
    }
}
