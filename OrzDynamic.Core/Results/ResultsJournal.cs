namespace OrzDynamic.Core.Results;

/// <summary>
/// The per-sample journal <c>results.jsonl</c>: a <see cref="JsonlJournal{TKey, TRecord}"/> of <see cref="SampleRecord"/>s
/// keyed by (dataset, index, sample number). Every sample is written and flushed to disk as it completes; opening an existing journal
/// reads the completed samples (for resume); a torn last line is cut off and its sample recomputed.
/// </summary>
internal sealed class ResultsJournal : IDisposable
{
    /// <summary>JSON options of the journal lines (compact; NaN/Infinity as named literals).</summary>
    public static JsonSerializerOptions LineOptions { get; } = new()
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>How sample records are stored.</summary>
    internal static JournalFormat<(string Dataset, int Index, int Sample), SampleRecord> Format { get; } = new(
        "sample record", KeyOf, "dataset", r => !string.IsNullOrEmpty(r.Dataset),
        r => r.Sample is { } s ? $"sample {r.Dataset}#{r.Index}/{s}" : $"sample {r.Dataset}#{r.Index}", "that sample will be recomputed");

    /// <summary>The key of a record: dataset, index and sample number (0 when the record has none).</summary>
    public static (string Dataset, int Index, int Sample) KeyOf(SampleRecord record) => (record.Dataset, record.Index, record.Sample ?? 0);

    private readonly JsonlJournal<(string Dataset, int Index, int Sample), SampleRecord> _journal;

    private ResultsJournal(JsonlJournal<(string Dataset, int Index, int Sample), SampleRecord> journal) => _journal = journal;

    /// <summary>The journal file.</summary>
    public string FilePath => _journal.FilePath;

    /// <summary>All samples in the journal (read at open, plus appended since), in file order of first appearance.</summary>
    public IReadOnlyCollection<SampleRecord> Records => _journal.Records;

    /// <summary>Whether sample <paramref name="sample"/> of the prompt is already in the journal.</summary>
    public bool Contains(string dataset, int index, int sample = 0) => _journal.Find((dataset, index, sample)) is not null;

    /// <summary>Opens (creating if needed) the journal at <paramref name="path"/> and reads what it holds.</summary>
    /// <exception cref="ResultsFileException">A complete line is not a valid sample record.</exception>
    public static ResultsJournal Open(string path, ILogger? logger = null) => new(JsonlJournal<(string, int, int), SampleRecord>.Open(path, Format, logger));

    /// <summary>
    /// The sample records of the complete lines <paramref name="text"/> of the journal or results file at
    /// <paramref name="path"/>, in file order with their line numbers (blank lines skipped; duplicates are the caller's
    /// to handle).
    /// </summary>
    /// <exception cref="ResultsFileException">A line is not a valid sample record or has no dataset.</exception>
    internal static IEnumerable<(SampleRecord Record, int Line)> ParseRecords(string text, string path) =>
        JsonlJournal<(string, int, int), SampleRecord>.Parse(text, path, Format);

    /// <summary>
    /// Whether the journal at <paramref name="path"/> holds at least one complete line (a finished sample); false when
    /// it is absent, empty or only holds a torn first line.
    /// </summary>
    public static bool HasRecords(string path)
    {
        if (!File.Exists(path)) return false;
        RegularFile.CheckBeforeOpen(path);
        RegularFile.CheckSeekable(path);
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
    public void Append(SampleRecord record) => _journal.Append(record);

    /// <inheritdoc />
    public void Dispose() => _journal.Dispose();
}
