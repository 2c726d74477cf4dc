namespace MesErpStreams.ErpSimulator;

/// <summary>
/// Faults the simulator injects on the posting endpoints (queries and admin are never faulted). Applied in this
/// order: outage, throttling, latency, errors, posting, slow response. Errors are injected before the ledger write
/// (no document); a slow response happens after it (the document exists even if the client timed out).
/// Random draws use <see cref="Seed"/> so sequential test runs are deterministic.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Full outage: every posting request gets 503 (or a reset connection with <see cref="OutageResetsConnection"/>). Default false.</summary>
    public bool Outage { get; set; }

    /// <summary>During an outage, abort the TCP connection instead of answering 503. Default false.</summary>
    public bool OutageResetsConnection { get; set; }

    /// <summary>Added latency per posting request in milliseconds. Default 0.</summary>
    public int LatencyMs { get; set; }

    /// <summary>Uniform random extra latency 0..N ms on top of <see cref="LatencyMs"/>. Default 0.</summary>
    public int LatencyJitterMs { get; set; }

    /// <summary>Fraction 0..1 of posting requests answered with <see cref="ErrorStatusCode"/>. Default 0.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Status code of injected errors (500..599). Default 503.</summary>
    public int ErrorStatusCode { get; set; } = 503;

    /// <summary>The next N posting requests fail with <see cref="ErrorStatusCode"/> (deterministic). Default 0.</summary>
    public int FailNext { get; set; }

    /// <summary>
    /// The next N posting requests are answered 423 "order locked by another user" (deterministic): a failure of the
    /// posting, not of the ERP (SAP: the order is being edited), which the sink sends to its retry tiers. Default 0.
    /// </summary>
    public int LockNext { get; set; }

    /// <summary>Fraction 0..1 of posting requests answered 429 with Retry-After. Default 0.</summary>
    public double ThrottleRate { get; set; }

    /// <summary>The next N posting requests get 429 (deterministic). Default 0.</summary>
    public int ThrottleNext { get; set; }

    /// <summary>More posting requests than this per second (fixed one-second window) get 429. 0 = unlimited (default).</summary>
    public int MaxRequestsPerSecond { get; set; }

    /// <summary>Retry-After seconds sent with 429. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Fraction 0..1 of postings whose response is delayed by <see cref="SlowResponseDelayMs"/> after the ledger write. Default 0.</summary>
    public double SlowResponseRate { get; set; }

    /// <summary>The next N postings are answered slowly (deterministic). Default 0.</summary>
    public int SlowNext { get; set; }

    /// <summary>Delay of a slow response in milliseconds; pick more than the client's timeout. Default 30000.</summary>
    public int SlowResponseDelayMs { get; set; } = 30_000;

    /// <summary>Seed of the random draws. Default 12345.</summary>
    public int Seed { get; set; } = 12345;

    /// <summary>A copy (the injector works on snapshots).</summary>
    public FaultOptions Clone() => (FaultOptions)MemberwiseClone();

    /// <summary>Checks ranges.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        static void Rate(double v, string name)
        {
            if (double.IsNaN(v) || v is < 0 or > 1)
            {
                throw new ArgumentException($"{name} must be between 0 and 1 (got {v})", name);
            }
        }

        static void NonNegative(int v, string name)
        {
            if (v < 0)
            {
                throw new ArgumentException($"{name} must not be negative (got {v})", name);
            }
        }

        Rate(ErrorRate, nameof(ErrorRate));
        Rate(ThrottleRate, nameof(ThrottleRate));
        Rate(SlowResponseRate, nameof(SlowResponseRate));
        NonNegative(LatencyMs, nameof(LatencyMs));
        NonNegative(LatencyJitterMs, nameof(LatencyJitterMs));
        NonNegative(FailNext, nameof(FailNext));
        NonNegative(LockNext, nameof(LockNext));
        NonNegative(ThrottleNext, nameof(ThrottleNext));
        NonNegative(SlowNext, nameof(SlowNext));
        NonNegative(MaxRequestsPerSecond, nameof(MaxRequestsPerSecond));
        NonNegative(RetryAfterSeconds, nameof(RetryAfterSeconds));
        NonNegative(SlowResponseDelayMs, nameof(SlowResponseDelayMs));
        if (ErrorStatusCode is < 500 or > 599)
        {
            throw new ArgumentException($"{nameof(ErrorStatusCode)} must be 500..599 (got {ErrorStatusCode})", nameof(ErrorStatusCode));
        }
    }
}
