using MesErpStreams.Contracts.Erp;

namespace MesErpStreams.Sink.Erp;

/// <summary>
/// Posts one command to an ERP and classifies the answer. Implementations send
/// <see cref="ErpPostingCommand.IdempotencyKey"/> with the request (the simulator's <c>Idempotency-Key</c> header,
/// SAP S/4HANA's <c>Repeatability-Request-ID</c>, ...) so a retried or replayed call never makes a second document.
/// Implementations never throw for ERP or network failures: they return a <see cref="ErpOutcomeKind.TransientFailure"/>
/// or <see cref="ErpOutcomeKind.PermanentFailure"/>. They throw <see cref="OperationCanceledException"/> only when
/// the cancellation token passed in is cancelled.
/// </summary>
public interface IErpClient
{
    /// <summary>Posts the command.</summary>
    Task<ErpPostingOutcome> PostAsync(ErpPostingCommand command, CancellationToken ct);
}
