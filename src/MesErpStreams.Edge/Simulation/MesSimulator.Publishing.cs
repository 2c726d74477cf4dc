using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using MesErpStreams.Contracts.Erp.Master;
using MesErpStreams.Contracts.Mes;
using MesErpStreams.Kafka.Configuration;
using MesErpStreams.SchemaRegistry;
using MesErpStreams.SchemaRegistry.Serdes;

namespace MesErpStreams.Edge.Simulation;

/// <summary>Publishing to Kafka.</summary>
public sealed partial class MesSimulator
{
    /// <summary>
    /// Publishes the run to Kafka at <see cref="MesSimulatorOptions.EventsPerSecond"/> with one idempotent producer
    /// (acks=all): material masters first, then events interleaved with work orders (some late), Avro in the Confluent
    /// wire format (schemas looked up, or registered with <paramref name="autoRegisterSchemas"/>). Stops after
    /// <see cref="MesSimulatorOptions.MaxEvents"/>, <paramref name="duration"/> or <paramref name="cancellationToken"/>,
    /// then still publishes what it held back (late master data, delayed events) so the run stays reconcilable,
    /// and flushes. Call once per instance.
    /// </summary>
    /// <param name="kafka">Kafka connection.</param>
    /// <param name="registry">Schema registry client.</param>
    /// <param name="duration">Generate for at most this long; null: until cancelled or MaxEvents.</param>
    /// <param name="autoRegisterSchemas">Register schemas on first use.</param>
    /// <param name="cancellationToken">Stops generating (gracefully, as above).</param>
    /// <returns>The final <see cref="Stats"/>.</returns>
    /// <exception cref="InvalidOperationException">A record could not be delivered.</exception>
    public async Task<MesSimulatorStats> RunAsync(KafkaClientOptions kafka, ISchemaRegistryClient registry, TimeSpan? duration = null,
        bool autoRegisterSchemas = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        ArgumentNullException.ThrowIfNull(registry);
        var serdeConfig = new AvroSerializerConfig { AutoRegisterSchemas = autoRegisterSchemas };
        var pc = new AvroSerializer<ProductionConfirmation>(registry, ProductionConfirmation.Schema, serdeConfig);
        var scrap = new AvroSerializer<ScrapReport>(registry, ScrapReport.Schema, serdeConfig);
        var consumption = new AvroSerializer<MaterialConsumption>(registry, MaterialConsumption.Schema, serdeConfig);
        var hold = new AvroSerializer<QualityHold>(registry, QualityHold.Schema, serdeConfig);
        var order = new AvroSerializer<WorkOrder>(registry, WorkOrder.Schema, serdeConfig);
        var material = new AvroSerializer<Material>(registry, Material.Schema, serdeConfig);
        using var producer = new ProducerBuilder<string, byte[]>(kafka.ToProducerConfig([new("enable.idempotence", "true"), new("acks", "all"), new("linger.ms", "5")])).Build();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (duration is { } d)
        {
            stop.CancelAfter(d);
        }

        Error? failure = null;
        var clock = Stopwatch.StartNew();
        long sent = 0;
        foreach (var r in Generate(stop.Token))
        {
            if (r.Kind != SimulatedRecordKind.MasterData && _options.EventsPerSecond > 0 && !stop.IsCancellationRequested)
            {
                var due = TimeSpan.FromSeconds(sent / _options.EventsPerSecond) - clock.Elapsed;
                if (due > TimeSpan.FromMilliseconds(2))
                {
                    await Task.Delay(due, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
            }

            var context = new SerializationContext(MessageComponentType.Value, r.Topic);
            var value = r.Value switch
            {
                ProductionConfirmation x => await pc.SerializeAsync(x, context),
                ScrapReport x => await scrap.SerializeAsync(x, context),
                MaterialConsumption x => await consumption.SerializeAsync(x, context),
                QualityHold x => await hold.SerializeAsync(x, context),
                WorkOrder x => await order.SerializeAsync(x, context),
                Material x => await material.SerializeAsync(x, context),
                _ => throw new InvalidOperationException("unexpected record value"),
            };
            var message = new Message<string, byte[]> { Key = r.Key, Value = value, Headers = EventHeaders(r.Value) };
            while (true)
            {
                try
                {
                    producer.Produce(r.Topic, message, report =>
                    {
                        if (report.Error.IsError)
                        {
                            failure ??= report.Error;
                        }
                    });
                    break;
                }
                catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    // Unthrottled run faster than Kafka takes it: let delivery reports drain the local queue.
                    await Task.Run(() => producer.Poll(TimeSpan.FromMilliseconds(100)), CancellationToken.None);
                }
            }

            Count(r);
            if (r.Kind != SimulatedRecordKind.MasterData)
            {
                sent++;
            }
        }

        await Task.Run(() => producer.Flush(CancellationToken.None), CancellationToken.None);
        return failure is { } f ? throw new InvalidOperationException("the simulator could not deliver a record: " + f.Reason) : Stats;
    }

    /// <summary>The edge's headers for an event (event id, type, traceparent), so lineage finds it without decoding; none for master data.</summary>
    private static Headers? EventHeaders(object value)
    {
        var (id, type, trace) = value switch
        {
            ProductionConfirmation x => (x.EventId, nameof(ProductionConfirmation), x.Trace),
            ScrapReport x => (x.EventId, nameof(ScrapReport), x.Trace),
            MaterialConsumption x => (x.EventId, nameof(MaterialConsumption), x.Trace),
            QualityHold x => (x.EventId, nameof(QualityHold), x.Trace),
            _ => (Guid.Empty, null, null),
        };
        if (type is null)
        {
            return null;
        }

        var headers = new Headers
        {
            { EdgeHeaders.EventId, Encoding.UTF8.GetBytes(id.ToString("D")) },
            { EdgeHeaders.EventType, Encoding.UTF8.GetBytes(type) },
        };
        if (trace?.Traceparent is { } tp)
        {
            headers.Add(EdgeHeaders.TraceParent, Encoding.UTF8.GetBytes(tp));
        }

        return headers;
    }
}
