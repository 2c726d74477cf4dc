namespace MesErpStreams.Streams;

/// <summary>Lifecycle of a <see cref="StreamsInstance"/>.</summary>
public enum StreamsState
{
    /// <summary>Constructed, not started.</summary>
    Created,

    /// <summary>Creating clients and bootstrapping global tables.</summary>
    Starting,

    /// <summary>In the consumer group, restoring or processing.</summary>
    Running,

    /// <summary>Stop requested; committing and leaving the group.</summary>
    Stopping,

    /// <summary>Stopped cleanly.</summary>
    Stopped,

    /// <summary>Stopped because of a fatal error (see <see cref="StreamsInstance.FatalError"/>); a supervisor should restart it.</summary>
    Failed,
}
