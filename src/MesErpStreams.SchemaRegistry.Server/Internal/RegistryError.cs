namespace MesErpStreams.SchemaRegistry.Server.Internal;

/// <summary>An error answered with the Confluent body <c>{"error_code": ..., "message": ...}</c>.</summary>
internal sealed class RegistryError : Exception
{
    public RegistryError(int status, int errorCode, string message)
        : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public int Status { get; }

    public int ErrorCode { get; }

    public static RegistryError SubjectNotFound(string subject) => new(404, 40401, $"Subject '{subject}' not found.");

    public static RegistryError VersionNotFound(string subject, string version) => new(404, 40402, $"Version {version} not found for subject '{subject}'.");

    public static RegistryError SchemaNotFound(string what) => new(404, 40403, $"Schema not found: {what}");

    public static RegistryError InvalidSchema(string detail) => new(422, 42201, "Invalid schema: " + detail);

    /// <summary>Confluent's 42210 (invalid rule set): how it refuses rules it cannot take.</summary>
    public static RegistryError InvalidRuleSet(string detail) => new(422, 42210, "Invalid rule set: " + detail);

    public static RegistryError InvalidVersion(string version) => new(422, 42202, $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");

    public static RegistryError InvalidCompatibility(string? level) => new(422, 42203, $"Invalid compatibility level '{level}'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
}
