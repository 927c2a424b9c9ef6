using System.Globalization;
using Microsoft.Extensions.Logging;

namespace OrzDynamic.Cli;

/// <summary>
/// Appends every log line (Information and above) to one file, flushing each line. When the file cannot be written
/// (disk full), file logging stops with one note on stderr; the run itself goes on (its results matter more).
/// </summary>
internal sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = CreateWriter(path);
    private readonly Lock _gate = new();

    private static StreamWriter CreateWriter(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    private bool _failed;

    public void Dispose()
    {
        lock (_gate)
        {
            try
            {
                _writer.Dispose();
            }
            catch (IOException)
            {
                // Already reported when the write failed.
            }
        }
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_failed) return;
            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException ex)
            {
                _failed = true;
                Console.Error.WriteLine($"warning: the log file {path} cannot be written ({ex.Message}); file logging stopped");
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel,-11} {category}: {formatter(state, exception)}");
            if (exception is not null) line += Environment.NewLine + exception;
            owner.Write(line);
        }
    }
}
