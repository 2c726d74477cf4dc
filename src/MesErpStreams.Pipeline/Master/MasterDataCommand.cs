using System.CommandLine;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Hosting;
using MesErpStreams.Kafka;
using MesErpStreams.Pipeline.Domain;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Pipeline.Master;

/// <summary>
/// <c>meserp master-data publish FILE|-</c> loads work orders and materials (JSON Lines, <see cref="MasterDataJson"/>)
/// onto <c>erp.master.work-orders</c> and <c>erp.master.materials</c>, keyed as the pipeline looks them up;
/// <c>meserp master-data show --order PLANT/ORDER | --material PLANT/MATERIAL</c> prints what the pipeline's tables
/// hold for a key (the latest record of the compacted topic). Before this, master data could only come from
/// <c>meserp edge simulate</c>, which also published simulated events and did not say which orders it made.
/// </summary>
public static class MasterDataCommand
{
    /// <summary>Exit code of <c>publish</c> when a line was rejected (the others are published) and of <c>show</c> when the key is not there.</summary>
    public const int ExitRejected = 1;

    /// <summary>Creates the command with its <c>publish</c> and <c>show</c> sub-commands.</summary>
    public static Command Create()
    {
        var command = new Command("master-data", "Load ERP master data (work orders, materials) onto the compacted master-data topics, or show what the pipeline's tables hold for a key.");
        command.Subcommands.Add(Publish());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Publish()
    {
        var (bootstrap, props, config, registryUrl) = (CommonOptions.BootstrapServers(), CommonOptions.KafkaProperties(), CommonOptions.ConfigFile(), RegistryOptions.Url());
        var file = new Argument<string>("file") { Description = "JSON Lines file of WorkOrder and Material records, or - for stdin.", DefaultValueFactory = _ => "-" };
        var autoRegister = new Option<bool>("--auto-register-schemas") { Description = "Register the master-data schemas on first use (off by default: `meserp schemas register`)." };
        var publish = new Command("publish", "Publish work orders and materials from JSON Lines (see the README for the format), each validated and keyed as the pipeline looks it up (plant/order, plant/material). Exit 0 all published, 1 a line was rejected (the others are published), 2 bad flags.")
        {
            file, bootstrap, props, config, registryUrl, autoRegister,
        };
        publish.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(props));
            var registryOptions = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            using var registry = new CachedSchemaRegistryClient(registryOptions);
            if (!await RegistryCheck.CheckAtStartAsync("master-data publish", registry, registryOptions.Url, Console.Error, null, ct))
            {
                return 2;
            }

            var serdeConfig = new AvroSerializerConfig { AutoRegisterSchemas = parse.GetValue(autoRegister) };
            var orders = new AvroSerializer<WorkOrder>(registry, WorkOrder.Schema, serdeConfig);
            var materials = new AvroSerializer<Material>(registry, Material.Schema, serdeConfig);
            using var producer = new ProducerBuilder<string, byte[]>(kafka.ToProducerConfig([new("enable.idempotence", "true"), new("acks", "all")])).Build();
            var source = parse.GetValue(file)!;
            using var reader = source == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(source);
            var (published, rejected, line) = (0, 0, 0);
            while (await reader.ReadLineAsync(ct) is { } text)
            {
                line++;
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                if (!MasterDataJson.TryParse(text, out var record, out var error))
                {
                    rejected++;
                    await Console.Error.WriteLineAsync($"line {line}: rejected: {error}");
                    continue;
                }

                var (topic, key, bytes) = record switch
                {
                    WorkOrder o => (PipelineTopology.Topics.WorkOrders, EventKeys.WorkOrder(o.Plant, o.OrderNumber),
                        await orders.SerializeAsync(o, new SerializationContext(MessageComponentType.Value, PipelineTopology.Topics.WorkOrders))),
                    Material m => (PipelineTopology.Topics.Materials, EventKeys.Material(m.Plant, m.MaterialNumber),
                        await materials.SerializeAsync(m, new SerializationContext(MessageComponentType.Value, PipelineTopology.Topics.Materials))),
                    _ => throw new InvalidOperationException("unreachable: TryParse returns work orders and materials only"),
                };
                var report = await producer.ProduceAsync(topic, new Message<string, byte[]> { Key = key, Value = bytes }, ct);
                published++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(record is WorkOrder ? "work order" : "material")} {key} -> {topic}[{report.Partition.Value}]@{report.Offset.Value}"));
            }

            await Console.Error.WriteLineAsync($"published {published} record(s), rejected {rejected} line(s)");
            return rejected > 0 ? ExitRejected : 0;
        });
        return publish;
    }

    private static Command Show()
    {
        var (bootstrap, props, config, registryUrl) = (CommonOptions.BootstrapServers(), CommonOptions.KafkaProperties(), CommonOptions.ConfigFile(), RegistryOptions.Url());
        var order = new Option<string?>("--order") { Description = "A work order as PLANT/ORDER, e.g. 1000/41000001." };
        var material = new Option<string?>("--material") { Description = "A material as PLANT/MATERIAL, e.g. 1000/FG-100." };
        var show = new Command("show", "Print what the pipeline's master-data tables hold for a work order or material (the latest record of its compacted topic) as a JSON line. Exit 0 found, 1 not there, 2 bad flags.")
        {
            order, material, bootstrap, props, config, registryUrl,
        };
        show.Validators.Add(r =>
        {
            if ((r.GetValue(order) is null) == (r.GetValue(material) is null))
            {
                r.AddError("give exactly one of --order PLANT/ORDER and --material PLANT/MATERIAL");
            }
        });
        show.SetAction(async (parse, ct) =>
        {
            var configuration = CommonOptions.BuildConfiguration(parse.GetValue(config));
            var kafka = CommonOptions.Kafka(configuration, parse.GetValue(bootstrap), parse.GetValue(props));
            var registryOptions = RegistryOptions.Bind(configuration, parse.GetValue(registryUrl));
            using var registry = new CachedSchemaRegistryClient(registryOptions);
            var (topic, key) = parse.GetValue(order) is { } o ? (PipelineTopology.Topics.WorkOrders, o) : (PipelineTopology.Topics.Materials, parse.GetValue(material)!);
            byte[]? latest = null;
            var found = false;
            var complete = await Task.Run(() => TopicReading.ReadToEnd(kafka, topic, null, IsolationLevel.ReadCommitted, TimeSpan.FromMinutes(1), r =>
            {
                if (r.Message.Key is { } k && Encoding.UTF8.GetString(k) == key)
                {
                    (latest, found) = (r.Message.Value, true);
                }
            }), ct);
            if (!complete)
            {
                await Console.Error.WriteLineAsync($"master-data show: {topic} was not read to its end within a minute");
                return 2;
            }

            if (!found || latest is null)
            {
                await Console.Error.WriteLineAsync($"{key} is not on {topic}{(found ? " (deleted: its latest record is a tombstone)" : string.Empty)}: events that need it wait for it");
                return ExitRejected;
            }

            var context = new SerializationContext(MessageComponentType.Value, topic);
            object value = topic == PipelineTopology.Topics.WorkOrders
                ? await new AvroDeserializer<WorkOrder>(registry, WorkOrder.Schema).DeserializeAsync(latest, false, context)
                : await new AvroDeserializer<Material>(registry, Material.Schema).DeserializeAsync(latest, false, context);
            Console.WriteLine(MasterDataJson.Format(value));
            return 0;
        });
        return show;
    }
}
