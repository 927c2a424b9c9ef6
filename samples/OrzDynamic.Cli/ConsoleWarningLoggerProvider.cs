using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>Shows warnings and errors on the console (everything else goes to the log file only).</summary>
internal sealed class ConsoleWarningLoggerProvider(IAnsiConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(console);

    public void Dispose()
    {
    }

    private sealed class Logger(IAnsiConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var colour = logLevel >= LogLevel.Error ? "red" : "yellow";
            console.MarkupLine($"[{colour}]{logLevel.ToString().ToLowerInvariant()}:[/] {Markup.Escape(formatter(state, exception))}");
        }
    }
}
