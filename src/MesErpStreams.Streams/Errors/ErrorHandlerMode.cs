namespace MesErpStreams.Streams;

/// <summary>What the runtime does with a record that fails at some <see cref="ErrorStage"/>.</summary>
public enum ErrorHandlerMode
{
    /// <summary>Stop the instance (the transaction is aborted, so the record is retried after a restart).</summary>
    Fail,

    /// <summary>
    /// Write the original key and value bytes with error headers to the dead-letter topic inside the same
    /// transaction, undo the record's store writes and outputs, and continue with the next record.
    /// </summary>
    DeadLetterAndContinue,
}
