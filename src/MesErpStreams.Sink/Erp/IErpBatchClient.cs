using MesErpStreams.Contracts.Erp;

namespace MesErpStreams.Sink.Erp;

/// <summary>
/// An <see cref="IErpClient"/> whose ERP accepts many postings in one request (SAP's OData <c>$batch</c> with one
/// change set per document, or a bulk endpoint), each with its own idempotency key and its own answer. The sink
/// groups ready commands into such batches; an adapter without batch support implements only <see cref="IErpClient"/>
/// and is called once per command.
/// <para>
/// Order: the items of a batch are executed in order, and an item with <see cref="ErpBatchItem.DependsOnPrevious"/>
/// is executed only when the item before it succeeded; otherwise its outcome is <see cref="ErpPostingOutcome.NotExecuted"/>.
/// That is how the sink sends several postings of one order in one request without a failed one being overtaken.
/// An ERP that cannot honour dependencies must not implement this interface (or must answer <c>NotExecuted</c>
/// for dependent items itself).
/// </para>
/// </summary>
public interface IErpBatchClient : IErpClient
{
    /// <summary>The most postings the ERP takes in one request.</summary>
    int MaxBatchSize { get; }

    /// <summary>
    /// Posts the items in one request. Returns one outcome per item, in item order. A failure of the request as a
    /// whole (outage, throttling, timeout) is that same outcome for every item. Never throws for ERP or network
    /// failures; throws <see cref="OperationCanceledException"/> only when <paramref name="ct"/> is cancelled.
    /// </summary>
    Task<IReadOnlyList<ErpPostingOutcome>> PostBatchAsync(IReadOnlyList<ErpBatchItem> items, CancellationToken ct);
}

/// <summary>One posting of a batch.</summary>
/// <param name="Command">The command to post.</param>
/// <param name="DependsOnPrevious">Execute only when the previous item of the batch succeeded (same order key).</param>
public readonly record struct ErpBatchItem(ErpPostingCommand Command, bool DependsOnPrevious);
