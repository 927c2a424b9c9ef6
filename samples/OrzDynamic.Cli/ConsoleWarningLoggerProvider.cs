using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>
/// Shows warnings, errors and the library's decision lines (resume, selection and skips, limits; event
/// "OrzDynamic.Decision") on the console, one line each; everything else goes to the log file only.
/// </summary>
internal sealed class ConsoleWarningLoggerProvider(IAnsiConsole console) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(console);

    public void Dispose()
    {
    }

    private const string DecisionEvent = "OrzDynamic.Decision";

    private sealed class Logger(IAnsiConsole console) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;   // Log shows decisions of Information level only

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Information && eventId.Name == DecisionEvent)
            {
                console.WriteLine(formatter(state, exception));
                return;
            }
            if (logLevel < LogLevel.Warning) return;
            var colour = logLevel >= LogLevel.Error ? "red" : "yellow";
            console.MarkupLine($"[{colour}]{logLevel.ToString().ToLowerInvariant()}:[/] {Markup.Escape(formatter(state, exception))}");
        }
    }
}
