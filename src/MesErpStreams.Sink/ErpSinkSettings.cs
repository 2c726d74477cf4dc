using MesErpStreams.SchemaRegistry;
using MesErpStreams.Sink.Erp;

namespace MesErpStreams.Sink;

/// <summary>Everything <c>meserp sink</c> starts with (see <see cref="ErpSinkCommand.BindSettings"/>).</summary>
/// <param name="Sink">Sink options (Kafka, topics, throttling, retry tiers).</param>
/// <param name="Erp">The ERP HTTP client.</param>
/// <param name="Registry">The schema registry client.</param>
public sealed record ErpSinkSettings(ErpSinkOptions Sink, HttpErpClientOptions Erp, SchemaRegistryClientOptions Registry);
