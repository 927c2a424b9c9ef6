namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Writes <c>comparisons.csv</c> and <c>comparisons.json</c> as the comparison rows arrive, in memory that does not grow
/// with the number of rows: each row goes at once to a scratch file of its dataset (a CSV line and a compact JSON line);
/// <see cref="Complete"/> joins the scratch files in dataset order into the two files (each via a temporary name and a
/// rename) and deletes them. The files are byte for byte those <see cref="ComparisonFiles.ToCsv"/> and
/// <see cref="ComparisonFiles.ToJson"/> make from the sorted report, provided the rows of each dataset arrive in report
/// order (later checkpoint ascending, then <see cref="ComparisonKind.Previous"/> before <see cref="ComparisonKind.First"/>),
/// which is the order <see cref="CheckpointComparer"/> produces them in; a row out of that order is refused.
/// What the trend markers need is kept as it goes (<see cref="Marks"/>).
/// </summary>
internal sealed class ComparisonFileWriter : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly string _outputDir;
    private readonly string _scratchPrefix;
    private readonly Dictionary<string, Scratch> _datasets = new(StringComparer.Ordinal);
    private readonly HashSet<(string Dataset, int ToIteration, string Metric, string Stratum)> _significant = [];
    private readonly Dictionary<string, List<ComparisonRow>> _significantRows = new(StringComparer.Ordinal);
    private long _testable;
    private bool _done;

    /// <summary>Creates the writer for <paramref name="outputDir"/> (created if needed).</summary>
    /// <param name="outputDir">Directory that receives <c>comparisons.csv</c> and <c>comparisons.json</c>.</param>
    /// <param name="confidenceLevel">Level of the effect intervals (written into the JSON).</param>
    /// <param name="alpha">Significance threshold (written into the JSON and the legend).</param>
    public ComparisonFileWriter(string outputDir, double confidenceLevel, double alpha)
    {
        ArgumentNullException.ThrowIfNull(outputDir);
        Directory.CreateDirectory(outputDir);
        _outputDir = outputDir;
        ConfidenceLevel = confidenceLevel;
        Alpha = alpha;
        _scratchPrefix = Path.Combine(outputDir, $".comparisons.{Environment.ProcessId}.{Guid.NewGuid():N}");
    }

    /// <summary>Level of the effect intervals.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Significance threshold on the Holm-adjusted p-values.</summary>
    public double Alpha { get; }

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>The significant changes against the previous checkpoint seen so far (what the trend markers need).</summary>
    public ComparisonMarks Marks => new(Alpha, _significant);

    /// <summary>The counts and the significant rows so far (kept as they go: a few rows, not the table).</summary>
    public ComparisonSummary Summary() => new(ConfidenceLevel, Alpha, Rows, _testable,
        _significantRows.Keys.Order(StringComparer.Ordinal).SelectMany(d => _significantRows[d]).ToArray());

    /// <summary>Appends rows (see the class remarks for the order they must come in).</summary>
    /// <exception cref="InvalidOperationException">A row arrives out of report order for its dataset, or the files were completed.</exception>
    public void Add(IEnumerable<ComparisonRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_done) throw new InvalidOperationException("The comparison files were already completed.");
        foreach (var row in rows)
        {
            if (!_datasets.TryGetValue(row.Dataset, out var scratch))
            {
                scratch = new Scratch($"{_scratchPrefix}.{_datasets.Count}");
                _datasets.Add(row.Dataset, scratch);
            }
            var key = (row.ToIteration, row.Kind);
            if (scratch.Last is { } last && (key.ToIteration < last.ToIteration || (key.ToIteration == last.ToIteration && key.Kind < last.Kind)))
                throw new InvalidOperationException(
                    $"Comparison row of '{row.Dataset}' for iteration {row.ToIteration} ({row.Kind}) arrived after iteration {last.ToIteration} ({last.Kind}).");
            scratch.Last = key;
            scratch.Csv.WriteLine(ComparisonFiles.CsvLine(row));
            scratch.Json.Write(JsonSerializer.SerializeToUtf8Bytes(row, ComparisonFiles.CompactJsonOptions));
            scratch.Json.WriteByte((byte)'\n');
            if (row.Kind == ComparisonKind.Previous && row.Significant) _significant.Add((row.Dataset, row.ToIteration, row.Metric, row.Stratum));
            if (row.Significant)
            {
                if (!_significantRows.TryGetValue(row.Dataset, out var list)) _significantRows.Add(row.Dataset, list = []);
                list.Add(row);
            }
            if (row.Test.IsTestable) _testable++;
            Rows++;
        }
    }

    /// <summary>Writes both files (temporary name, then rename) and deletes the scratch files; returns their paths (CSV first).</summary>
    public IReadOnlyList<string> Complete()
    {
        if (_done) throw new InvalidOperationException("The comparison files were already completed.");
        _done = true;
        foreach (var s in _datasets.Values) s.Close();
        var order = _datasets.Keys.Order(StringComparer.Ordinal).Select(d => _datasets[d]).ToArray();
        var csv = Path.Combine(_outputDir, OutputLayout.ComparisonsCsv);
        var json = Path.Combine(_outputDir, OutputLayout.ComparisonsJson);

        var csvTmp = csv + ".tmp";
        using (var output = new StreamWriter(csvTmp, false, Utf8, 1 << 16))
        {
            output.WriteLine(string.Join(',', ComparisonFiles.CsvColumns));
            output.Flush();
            foreach (var s in order)
            {
                using var input = File.OpenRead(s.CsvPath);
                input.CopyTo(output.BaseStream);
            }
        }
        File.Move(csvTmp, csv, overwrite: true);

        var jsonTmp = json + ".tmp";
        using (var stream = new FileStream(jsonTmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new Utf8JsonWriter(stream, ComparisonFiles.IndentedWriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("confidence_level", ConfidenceLevel);
            writer.WriteNumber("alpha", Alpha);
            writer.WriteString("multiple_testing", ComparisonFiles.MultipleTesting);
            writer.WriteString("legend", TrendSignificance.Note(Alpha));
            writer.WriteStartArray("rows");
            foreach (var s in order)
            {
                using var reader = new StreamReader(s.JsonPath, Utf8);
                while (reader.ReadLine() is { } line)
                {
                    using var doc = JsonDocument.Parse(line);
                    doc.RootElement.WriteTo(writer);
                    if (writer.BytesPending > 1 << 16) writer.Flush();
                }
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        File.Move(jsonTmp, json, overwrite: true);
        DeleteScratch();
        return [csv, json];
    }

    /// <summary>Deletes the scratch files (the two result files stay as they are).</summary>
    public void Dispose()
    {
        foreach (var s in _datasets.Values) s.Close();
        DeleteScratch();
    }

    private void DeleteScratch()
    {
        foreach (var s in _datasets.Values)
        {
            File.Delete(s.CsvPath);
            File.Delete(s.JsonPath);
        }
    }

    private sealed class Scratch
    {
        public Scratch(string prefix)
        {
            CsvPath = prefix + ".csv.tmp";
            JsonPath = prefix + ".jsonl.tmp";
            Csv = new StreamWriter(CsvPath, false, Utf8, 1 << 16);
            Json = new FileStream(JsonPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        }

        public string CsvPath { get; }
        public string JsonPath { get; }
        public StreamWriter Csv { get; }
        public FileStream Json { get; }
        public (int ToIteration, ComparisonKind Kind)? Last { get; set; }

        public void Close()
        {
            Csv.Dispose();
            Json.Dispose();
        }
    }
}
