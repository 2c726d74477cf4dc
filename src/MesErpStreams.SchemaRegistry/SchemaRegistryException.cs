namespace MesErpStreams.SchemaRegistry;

/// <summary>
/// The registry answered with an error (Confluent error body <c>error_code</c>/<c>message</c>), or could not be
/// reached after the bounded retries.
/// </summary>
public sealed class SchemaRegistryException : Exception
{
    /// <summary>Subject not found.</summary>
    public const int SubjectNotFound = 40401;

    /// <summary>Version not found.</summary>
    public const int VersionNotFound = 40402;

    /// <summary>Schema not found.</summary>
    public const int SchemaNotFound = 40403;

    /// <summary>Subject has no subject-level compatibility configured.</summary>
    public const int SubjectLevelCompatibilityNotConfigured = 40408;

    /// <summary>Schema incompatible with an earlier version (HTTP 409).</summary>
    public const int IncompatibleSchema = 409;

    /// <summary>Invalid schema.</summary>
    public const int InvalidSchema = 42201;

    /// <summary>Invalid version.</summary>
    public const int InvalidVersion = 42202;

    /// <summary>Invalid compatibility level.</summary>
    public const int InvalidCompatibilityLevel = 42203;

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="statusCode">HTTP status; null when no response was received.</param>
    /// <param name="errorCode">Confluent error code; the HTTP status when the body had none; -1 without response.</param>
    /// <param name="inner">Underlying failure.</param>
    public SchemaRegistryException(string message, int? statusCode, int errorCode, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>HTTP status code, or null when the registry could not be reached.</summary>
    public int? StatusCode { get; }

    /// <summary>Confluent error code (e.g. 40401), or the HTTP status when the body had none; -1 without response.</summary>
    public int ErrorCode { get; }

    /// <summary>
    /// The failure will pass: the registry was unreachable, timed out, throttled or answered 5xx (after the client's
    /// retries). A record that failed for this reason is not bad and must not be dead-lettered; retry it later.
    /// </summary>
    public bool IsTransient => StatusCode is null or 408 or 429 or >= 500;
}
