using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrzDynamic.Core.Results;

/// <summary>
/// Append-only JSONL of <see cref="SampleRecord"/>s: every sample is written and flushed to disk as it completes, so
/// no computed result is lost. Opening an existing journal reads the completed samples (for resume); a torn last line
/// (a crash in the middle of a write) is cut off and its sample recomputed.
/// </summary>
public sealed class ResultsJournal : IDisposable
{
    /// <summary>JSON options of the journal lines (compact; NaN/Infinity as named literals).</summary>
    public static JsonSerializerOptions LineOptions { get; } = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly FileStream _stream;
    private readonly Dictionary<(string Dataset, int Index), SampleRecord> _records = new();
    private readonly Lock _gate = new();

    private ResultsJournal(string path, FileStream stream)
    {
        FilePath = path;
        _stream = stream;
    }

    /// <summary>The journal file.</summary>
    public string FilePath { get; }

    /// <summary>All samples in the journal (read at open, plus appended since), in file order of first appearance.</summary>
    public IReadOnlyCollection<SampleRecord> Records
    {
        get { lock (_gate) return _records.Values.ToArray(); }
    }

    /// <summary>Whether the sample is already in the journal.</summary>
    public bool Contains(string dataset, int index)
    {
        lock (_gate) return _records.ContainsKey((dataset, index));
    }

    /// <summary>Opens (creating if needed) the journal at <paramref name="path"/> and reads what it holds.</summary>
    /// <exception cref="ResultsFileException">A complete line is not a valid sample record.</exception>
    public static ResultsJournal Open(string path, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        if (Directory.Exists(path))
            throw new ResultsFileException(path, null, "is a directory; expected the results journal file. Remove or rename it.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FileStream stream;
        try
        {
            // Unbuffered: a failed write (disk full) leaves nothing behind in a buffer that a later flush would retry.
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException(path, null, "cannot open the results journal: " + ex.Message, ex);
        }
        var journal = new ResultsJournal(path, stream);
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

    private void ReadExisting(ILogger logger)
    {
        var text = JournalText.ReadCuttingTornLine(_stream, FilePath, logger, "that sample will be recomputed");
        foreach (var (rec, lineNo) in ParseRecords(text, FilePath))
            if (!_records.TryAdd((rec.Dataset, rec.Index), rec))
                logger.LogWarning("{File}, line {Line}: duplicate sample {Dataset}#{Index} ignored", FilePath, lineNo, rec.Dataset, rec.Index);
    }

    /// <summary>
    /// The sample records of the complete lines <paramref name="text"/> of the journal or results file at
    /// <paramref name="path"/>, in file order with their line numbers (blank lines skipped; duplicates are the caller's
    /// to handle).
    /// </summary>
    /// <exception cref="ResultsFileException">A line is not a valid sample record or has no dataset.</exception>
    internal static IEnumerable<(SampleRecord Record, int Line)> ParseRecords(string text, string path)
    {
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var rec = JsonlRecord.Parse<SampleRecord>(line, LineOptions, path, lineNo, "sample record");
            if (rec is null || string.IsNullOrEmpty(rec.Dataset))
                throw new ResultsFileException(path, lineNo, "sample record has no 'dataset'");
            yield return (rec, lineNo);
        }
    }

    /// <summary>
    /// Whether the journal at <paramref name="path"/> holds at least one complete line (a finished sample); false when
    /// it is absent, empty or only holds a torn first line.
    /// </summary>
    public static bool HasRecords(string path)
    {
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[1 << 16];
        bool content = false;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                byte b = buffer[i];
                if (b == (byte)'\n')
                {
                    if (content) return true;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) content = true;
            }
        }
        return false;
    }

    /// <summary>
    /// Appends one sample and flushes it to disk before returning. When the write fails (disk full), the journal is cut
    /// back to its previous length, so it stays valid and a later run resumes from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The sample is already in the journal.</exception>
    /// <exception cref="ResultsFileException">The line cannot be written (e.g. no space left on the device).</exception>
    public void Append(SampleRecord record)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(record, LineOptions);
        lock (_gate)
        {
            if (!_records.TryAdd((record.Dataset, record.Index), record))
                throw new InvalidOperationException($"Sample {record.Dataset}#{record.Index} is already in {FilePath}");
            var buffer = new byte[line.Length + 1];
            line.CopyTo(buffer, 0);
            buffer[^1] = (byte)'\n';
            long before = _stream.Length;
            try
            {
                _stream.Write(buffer);
                _stream.Flush(flushToDisk: true);
            }
            catch (IOException ex)
            {
                _records.Remove((record.Dataset, record.Index));
                try
                {
                    _stream.SetLength(before);
                    _stream.Position = before;
                }
                catch (IOException)
                {
                    // A torn last line is cut off when the journal is opened again.
                }
                throw new ResultsFileException(FilePath, null,
                    $"cannot append sample {record.Dataset}#{record.Index}: {ex.Message}. The {_records.Count} earlier sample(s) are kept; " +
                    "free space and rerun the same command to resume.", ex);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
