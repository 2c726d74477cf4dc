namespace MesErpStreams.Pipeline.Hosting;

/// <summary>Processing guarantee of <c>meserp process</c> (<c>--guarantee</c>).</summary>
public enum DeliveryGuarantee
{
    /// <summary>Kafka transactions: outputs, changelog writes and input offsets commit together (the default).</summary>
    ExactlyOnce,

    /// <summary>Outputs are produced before the input offsets commit; a restart may repeat the last commit interval's outputs.</summary>
    AtLeastOnce,
}
