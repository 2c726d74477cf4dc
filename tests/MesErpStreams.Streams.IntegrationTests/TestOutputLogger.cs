using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MesErpStreams.Streams.IntegrationTests;

/// <summary>Routes runtime logs to the xunit test output (visible when a test fails).</summary>
internal sealed class TestOutputLoggerFactory(ITestOutputHelper output, string prefix) : ILoggerFactory
{
    public List<string> Lines { get; } = [];

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(TestOutputLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{owner._prefix}] {logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message)}";
            lock (owner.Lines)
            {
                owner.Lines.Add(line);
            }

            try
            {
                owner._output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test already finished; the line stays in Lines.
            }
        }
    }

    private readonly ITestOutputHelper _output = output;
    private readonly string _prefix = prefix;
}
