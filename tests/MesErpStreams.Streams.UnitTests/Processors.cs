using MesErpStreams.Streams.State;

namespace MesErpStreams.Streams.UnitTests;

/// <summary>Forwards a record only the first time its value (the event id) is seen within the store's retention.</summary>
internal sealed class DedupeProcessor(string storeName) : IProcessor<string, string, string, string>
{
    private IProcessorContext<string, string> _context = null!;
    private IKeyValueStore<string, bool> _seen = null!;

    public void Init(IProcessorContext<string, string> context)
    {
        _context = context;
        _seen = context.GetStateStore<IKeyValueStore<string, bool>>(storeName);
    }

    public void Process(Record<string, string> record)
    {
        if (_seen.PutIfAbsent(record.Value, true))
        {
            _context.Forward(record);
        }
    }

    public void Close()
    {
    }
}

/// <summary>Counts per key into a store, forwards the new count; throws on the value "boom" after writing.</summary>
internal sealed class CountingProcessor(string storeName) : IProcessor<string, string, string, long>
{
    private IProcessorContext<string, long> _context = null!;
    private IKeyValueStore<string, long> _counts = null!;

    public void Init(IProcessorContext<string, long> context)
    {
        _context = context;
        _counts = context.GetStateStore<IKeyValueStore<string, long>>(storeName);
    }

    public void Process(Record<string, string> record)
    {
        var count = (_counts.TryGet(record.Key, out var c) ? c : 0) + 1;
        _counts.Put(record.Key, count);
        _context.Forward(new Record<string, long>(record.Key, count, record.Timestamp, record.Headers));
        if (record.Value == "boom")
        {
            throw new InvalidOperationException("boom value");
        }

        if (record.Value == "huge")
        {
            _context.Forward(new Record<string, long>(new string('x', 5000), count, record.Timestamp));
        }
    }

    public void Close()
    {
    }
}

/// <summary>A processor built from a lambda, for small tests.</summary>
internal sealed class LambdaProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(
    Action<IProcessorContext<TKeyOut, TValueOut>, Record<TKeyIn, TValueIn>> process,
    Action<IProcessorContext<TKeyOut, TValueOut>>? init = null) : IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>
{
    private IProcessorContext<TKeyOut, TValueOut> _context = null!;

    public void Init(IProcessorContext<TKeyOut, TValueOut> context)
    {
        _context = context;
        init?.Invoke(context);
    }

    public void Process(Record<TKeyIn, TValueIn> record) => process(_context, record);

    public void Close()
    {
    }
}
