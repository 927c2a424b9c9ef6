using Microsoft.Extensions.Logging;

namespace OrzDynamic.Datasets.Tests.TestSupport;

/// <summary>An ILogger that records formatted messages, for asserting on warnings.</summary>
public sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Entries.Add((logLevel, formatter(state, exception)));

    public IEnumerable<string> Warnings => Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message);
}

/// <summary>A whitespace tokenizer: one token per whitespace-separated word.</summary>
public sealed class WordTokenizer(string? bos = null) : OrzDynamic.Datasets.IPromptTokenizer
{
    public IReadOnlyList<int> Encode(string text)
        => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.Length).ToList();

    public string? BosToken { get; } = bos;
}

/// <summary>Temporary directory removed on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("orzds-").FullName;

    public string Write(string name, string content)
    {
        var p = System.IO.Path.Combine(Path, name);
        File.WriteAllText(p, content);
        return p;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
