using MesErpStreams.Pipeline.Domain;
using MesErpStreams.Streams;

namespace MesErpStreams.Pipeline.Internal;

/// <summary>Turns one event type into a <see cref="MesEvent"/> so a single processor handles all four.</summary>
internal sealed class NormalizeProcessor<T>(Func<T, MesEvent> wrap) : IProcessor<string, T, string, MesEvent>
{
    private IProcessorContext<string, MesEvent> _context = null!;

    public void Init(IProcessorContext<string, MesEvent> context) => _context = context;

    public void Process(Record<string, T> record)
    {
        if (record.Value is null)
        {
            throw new InvalidOperationException("event record has no value (tombstone on an event topic)");
        }

        _context.Forward(new Record<string, MesEvent>(record.Key, wrap(record.Value), record.Timestamp, record.Headers));
    }

    public void Close()
    {
    }
}
