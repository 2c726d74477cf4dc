namespace MesErpStreams.Streams.TestUtils;

/// <summary>Settings of a <see cref="TopologyTestDriver"/>.</summary>
public sealed class TopologyTestDriverOptions
{
    /// <summary>Application id (changelog topic prefix). Default <c>test-app</c>.</summary>
    public string ApplicationId { get; set; } = "test-app";

    /// <summary>Error handling; default dead-letters everything to <c>test-dlq</c>.</summary>
    public DeadLetterOptions DeadLetter { get; set; } = new() { Topic = "test-dlq" };

    /// <summary>Clock for wall-clock punctuation; default a new <see cref="FakeTimeProvider"/>.</summary>
    public FakeTimeProvider? Time { get; set; }

    /// <summary>Directory for persistent stores; default a fresh temp directory deleted on dispose.</summary>
    public string? StateDirectory { get; set; }
}
