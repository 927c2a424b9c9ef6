namespace OrzDynamic.Core.Results;

/// <summary>How one kind of record is stored in a <see cref="JsonlJournal{TKey, TRecord}"/>.</summary>
/// <param name="What">The record's name in messages, e.g. "sample record".</param>
/// <param name="KeyOf">The record's unique key.</param>
/// <param name="RequiredField">The field every record must carry (named in the error when it is empty).</param>
/// <param name="HasRequiredField">Whether a parsed record carries it.</param>
/// <param name="Describe">The record in messages, e.g. "sample math#3".</param>
/// <param name="Redone">What happens to a torn last line's record, e.g. "that sample will be recomputed".</param>
internal sealed record JournalFormat<TKey, TRecord>(string What, Func<TRecord, TKey> KeyOf, string RequiredField, Func<TRecord, bool> HasRequiredField,
    Func<TRecord, string> Describe, string Redone);

/// <summary>
/// An append-only JSONL journal of keyed records: every record is written and flushed to disk as it completes, so no
/// computed result is lost. Opening an existing journal reads its records (for resume); a torn last line (a crash in
/// the middle of a write) is cut off and its record computed again; a later duplicate of a key is ignored with a
/// warning. A failed append (disk full) cuts the file back, so the journal stays valid. The results journal
/// (<see cref="ResultsJournal"/>) and the probe journals are journals of this kind.
/// </summary>
internal sealed class JsonlJournal<TKey, TRecord> : IDisposable where TKey : notnull where TRecord : class
{
    private readonly FileStream _stream;
    private readonly JournalFormat<TKey, TRecord> _format;
    private readonly Dictionary<TKey, TRecord> _records = new();
    private readonly List<TRecord> _ordered = [];
    private readonly Lock _gate = new();

    private JsonlJournal(string path, FileStream stream, JournalFormat<TKey, TRecord> format)
    {
        FilePath = path;
        _stream = stream;
        _format = format;
    }

    /// <summary>The journal file.</summary>
    public string FilePath { get; }

    /// <summary>The records (read at open, plus appended since), in file order of first appearance.</summary>
    public IReadOnlyList<TRecord> Records
    {
        get { lock (_gate) return _ordered.ToArray(); }
    }

    /// <summary>The record of <paramref name="key"/>, or null.</summary>
    public TRecord? Find(TKey key)
    {
        lock (_gate) return _records.GetValueOrDefault(key);
    }

    /// <summary>Opens (creating if needed) the journal at <paramref name="path"/> and reads what it holds.</summary>
    /// <exception cref="ResultsFileException">The path is a directory, a symbolic link, a device or a FIFO, or cannot be
    /// opened, or a complete line is not a valid record.</exception>
    public static JsonlJournal<TKey, TRecord> Open(string path, JournalFormat<TKey, TRecord> format, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        if (Directory.Exists(path))
            throw new ResultsFileException(path, null, "is a directory; expected a journal file. Remove or rename it.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FileStream stream;
        try
        {
            // Unbuffered: a failed write (disk full) leaves nothing behind in a buffer that a later flush would retry.
            RegularFile.CheckBeforeOpen(path);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ResultsFileException(path, null, "cannot open the journal: " + ex.Message, ex);
        }
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw RegularFile.Unseekable(path);
        }
        var journal = new JsonlJournal<TKey, TRecord>(path, stream, format);
        try
        {
            var text = JournalText.ReadCuttingTornLine(stream, path, logger, format.Redone);
            foreach (var (record, line) in Parse(text, path, format))
                if (journal._records.TryAdd(format.KeyOf(record), record)) journal._ordered.Add(record);
                else logger.LogWarning("{File}, line {Line}: duplicate {Record} ignored", path, line, format.Describe(record));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        return journal;
    }

    /// <summary>
    /// The records of the complete lines of the journal at <paramref name="path"/>, read without opening it for writing
    /// (a later duplicate of a key is left out; empty when the file does not exist).
    /// </summary>
    /// <exception cref="ResultsFileException">A complete line is not a valid record.</exception>
    public static IReadOnlyList<TRecord> Read(string path, JournalFormat<TKey, TRecord> format)
    {
        if (!File.Exists(path)) return [];
        RegularFile.CheckSeekable(path);
        var seen = new HashSet<TKey>();
        return Parse(JournalText.CompleteLines(File.ReadAllBytes(path)), path, format).Select(r => r.Record).Where(r => seen.Add(format.KeyOf(r))).ToArray();
    }

    /// <summary>
    /// The records of the complete lines <paramref name="text"/> of a journal or results file at <paramref name="path"/>,
    /// in file order with their line numbers (blank lines skipped; duplicates are the caller's to handle).
    /// </summary>
    /// <exception cref="ResultsFileException">A line is not a valid record or lacks the required field.</exception>
    public static IEnumerable<(TRecord Record, int Line)> Parse(string text, string path, JournalFormat<TKey, TRecord> format)
    {
        int lineNo = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var record = JsonlRecord.Parse<TRecord>(line, ResultsJournal.LineOptions, path, lineNo, format.What);
            if (!format.HasRequiredField(record))
                throw new ResultsFileException(path, lineNo, $"{format.What} has no '{format.RequiredField}'");
            yield return (record, lineNo);
        }
    }

    /// <summary>
    /// Appends one record and flushes it to disk before returning. When the write fails (disk full), the journal is cut
    /// back to its previous length, so it stays valid and a later run resumes from it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key is already in the journal.</exception>
    /// <exception cref="ResultsFileException">The line cannot be written (e.g. no space left on the device).</exception>
    public void Append(TRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, ResultsJournal.LineOptions);
        var key = _format.KeyOf(record);
        lock (_gate)
        {
            if (!_records.TryAdd(key, record))
                throw new InvalidOperationException($"{Capitalized(_format.Describe(record))} is already in {FilePath}");
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
                _records.Remove(key);
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
                    $"cannot append {_format.Describe(record)}: {ex.Message}. The {_records.Count} earlier record(s) are kept; " +
                    "free space and rerun the same command to resume.", ex);
            }
            _ordered.Add(record);
        }
    }

    private static string Capitalized(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
