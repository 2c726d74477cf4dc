namespace MesErpStreams.SchemaRegistry;

/// <summary>Subject names by <see cref="SubjectNameStrategy"/>.</summary>
public static class SubjectNames
{
    /// <summary>The subject for a key or value of <paramref name="recordFullName"/> on <paramref name="topic"/>.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="topic">Topic name (needed by Topic and TopicRecord).</param>
    /// <param name="isKey">True for the message key.</param>
    /// <param name="recordFullName">Full name of the record (needed by Record and TopicRecord).</param>
    /// <exception cref="ArgumentException">The strategy needs a name that was not given.</exception>
    public static string Get(SubjectNameStrategy strategy, string? topic, bool isKey, string? recordFullName) => strategy switch
    {
        SubjectNameStrategy.Topic => Require(topic, nameof(topic)) + (isKey ? "-key" : "-value"),
        SubjectNameStrategy.Record => Require(recordFullName, nameof(recordFullName)),
        SubjectNameStrategy.TopicRecord => Require(topic, nameof(topic)) + "-" + Require(recordFullName, nameof(recordFullName)),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown subject name strategy"),
    };

    private static string Require(string? value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException($"subject name strategy needs {name}", name) : value;
}
