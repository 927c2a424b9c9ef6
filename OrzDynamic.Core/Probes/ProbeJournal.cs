using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Probes;

/// <summary>
/// Append-only JSONL of the <see cref="ProbeRecord"/>s of one checkpoint: each record is written and flushed as soon
/// as it is scored. Reopening reads what is there (for resume); a torn last line, left by a killed process, is cut
/// off and its item scored again. Items are processed in a fixed order, so a resumed journal is byte-identical to
/// one written in a single run.
/// </summary>
internal sealed class ProbeJournal : IDisposable
{
    private readonly FileStream _stream;
    private readonly Dictionary<string, ProbeRecord> _records = new(StringComparer.Ordinal);
    private readonly List<ProbeRecord> _ordered = [];

    private ProbeJournal(string path, FileStream stream)
    {
        FilePath = path;
        _stream = stream;
    }

    /// <summary>The journal file.</summary>
    public string FilePath { get; }

    /// <summary>Records in file order.</summary>
    public IReadOnlyList<ProbeRecord> Records => _ordered;

    /// <summary>The record of an item key ("source#index"), or null.</summary>
    public ProbeRecord? Find(string key) => _records.GetValueOrDefault(key);

    /// <summary>Opens (creating if needed) the journal and reads the records it holds.</summary>
    /// <exception cref="ResultsFileException">A complete line is not a valid probe record.</exception>
    public static ProbeJournal Open(string path, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var journal = new ProbeJournal(path, stream);
        try
        {
            journal.ReadExisting(logger);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return journal;
    }

    /// <summary>Reads the records of a journal without opening it for writing (empty when the file does not exist).</summary>
    /// <exception cref="ResultsFileException">A complete line is not a valid probe record.</exception>
    public static IReadOnlyList<ProbeRecord> Read(string path)
    {
        if (!File.Exists(path)) return [];
        return Parse(path, JournalText.CompleteLines(File.ReadAllBytes(path)), NullLogger.Instance).Ordered;
    }

    private void ReadExisting(ILogger logger)
    {
        var text = JournalText.ReadCuttingTornLine(_stream, FilePath, logger, "that item will be scored again");
        var (ordered, byKey) = Parse(FilePath, text, logger);
        _ordered.AddRange(ordered);
        foreach (var (k, v) in byKey) _records[k] = v;
    }

    private static (List<ProbeRecord> Ordered, Dictionary<string, ProbeRecord> ByKey) Parse(string path, string text, ILogger logger)
    {
        var ordered = new List<ProbeRecord>();
        var byKey = new Dictionary<string, ProbeRecord>(StringComparer.Ordinal);
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var rec = JsonlRecord.Parse<ProbeRecord>(line, ResultsJournal.LineOptions, path, lineNo, "probe record");
            if (rec is null || string.IsNullOrEmpty(rec.Source))
                throw new ResultsFileException(path, lineNo, "probe record has no 'source'");
            if (!byKey.TryAdd(rec.Key, rec))
            {
                logger.LogWarning("{File}, line {Line}: duplicate probe {Key} ignored", path, lineNo, rec.Key);
                continue;
            }
            ordered.Add(rec);
        }
        return (ordered, byKey);
    }

    /// <summary>Appends one record and flushes it to disk before returning.</summary>
    /// <exception cref="InvalidOperationException">The item is already in the journal.</exception>
    public void Append(ProbeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_records.TryAdd(record.Key, record))
            throw new InvalidOperationException($"Probe {record.Key} is already in {FilePath}");
        _ordered.Add(record);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, ResultsJournal.LineOptions);
        var buffer = new byte[line.Length + 1];
        line.CopyTo(buffer, 0);
        buffer[^1] = (byte)'\n';
        _stream.Write(buffer);
        _stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
