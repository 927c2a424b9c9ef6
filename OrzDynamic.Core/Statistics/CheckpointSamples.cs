using System.Text;
using System.Text.Json;
using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Statistics;

/// <summary>
/// The per-sample records of one checkpoint, keyed by (dataset, index): the paired data of the checkpoint
/// comparisons. Build it from an <see cref="EvalResults"/> (its <see cref="EvalResults.Samples"/>), from records, or
/// read it (read-only) from a checkpoint's <c>results.jsonl</c>.
/// </summary>
public sealed class CheckpointSamples
{
    private readonly Dictionary<(string Dataset, int Index), SampleRecord> _records;

    /// <summary>Creates the set; a later duplicate (dataset, index) is rejected.</summary>
    /// <exception cref="ArgumentException">Two records share a (dataset, index).</exception>
    public CheckpointSamples(string checkpoint, int iteration, IEnumerable<SampleRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Checkpoint = checkpoint;
        Iteration = iteration;
        _records = new Dictionary<(string, int), SampleRecord>();
        foreach (var r in records)
            if (!_records.TryAdd((r.Dataset, r.Index), r))
                throw new ArgumentException($"Checkpoint '{checkpoint}': sample {r.Dataset}#{r.Index} appears twice.", nameof(records));
    }

    /// <summary>Checkpoint label.</summary>
    public string Checkpoint { get; }

    /// <summary>Training iteration (the x position in trends).</summary>
    public int Iteration { get; }

    /// <summary>Records by (dataset, index).</summary>
    public IReadOnlyDictionary<(string Dataset, int Index), SampleRecord> Records => _records;

    /// <summary>Dataset names present, sorted.</summary>
    public IReadOnlyList<string> Datasets => _records.Keys.Select(k => k.Dataset).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The samples of <paramref name="results"/> (<see cref="EvalResults.Samples"/>).</summary>
    public static CheckpointSamples FromResults(EvalResults results, int iteration)
    {
        ArgumentNullException.ThrowIfNull(results);
        return new CheckpointSamples(results.Checkpoint, iteration, results.Samples);
    }

    /// <summary>
    /// Reads a <c>results.jsonl</c> without modifying it. An unterminated last line that does not parse (a run still
    /// writing, or killed mid-write) is not a sample yet and is left out; <paramref name="tornLines"/> says so.
    /// </summary>
    /// <exception cref="ResultsFileException">A complete line is not a sample record, lacks its dataset, or repeats a sample.</exception>
    public static CheckpointSamples Load(string path, string checkpoint, int iteration, out int tornLines)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        var lines = text.Split('\n');
        var records = new List<SampleRecord>();
        var seen = new HashSet<(string, int)>();
        tornLines = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line)) continue;
            bool last = i == lines.Length - 1;   // no newline after it
            SampleRecord? rec;
            try
            {
                rec = JsonSerializer.Deserialize<SampleRecord>(line, StrictJson.For(ResultsJournal.LineOptions));
            }
            catch (JsonException ex)
            {
                if (last) { tornLines++; continue; }
                throw new ResultsFileException(path, i + 1, "not a valid sample record: " + JsonProblem.Describe(ex, line), ex);
            }
            if (rec is null || string.IsNullOrEmpty(rec.Dataset))
                throw new ResultsFileException(path, i + 1, "sample record has no 'dataset'");
            if (!seen.Add((rec.Dataset, rec.Index)))
                throw new ResultsFileException(path, i + 1, $"sample {rec.Dataset}#{rec.Index} appears twice");
            records.Add(rec);
        }
        return new CheckpointSamples(checkpoint, iteration, records);
    }

    /// <summary>
    /// The records of a complete <c>results.jsonl</c> with only the fields the comparisons read (dataset, index,
    /// correctness, metrics, invalid reason), streamed: prompts, answers, token ids and random-token details are
    /// skipped unparsed.
    /// </summary>
    /// <exception cref="ResultsFileException">A line is not a sample record, or repeats a sample.</exception>
    internal static CheckpointSamples ReadForComparison(string path, string checkpoint, int iteration)
    {
        var records = new List<SampleRecord>();
        using var reader = new JsonlLineReader(path);
        while (reader.TryReadLine(out var line))
        {
            var r = JsonlRecord.Parse<SampleRecordView>(line.Span, ResultsJournal.LineOptions, path, reader.LineNumber, "sample record");
            records.Add(new SampleRecord
            {
                Dataset = r.Dataset,
                Index = r.Index,
                Checkpoint = r.Checkpoint,
                IsCorrect = r.IsCorrect,
                LdMetrics = r.LdMetrics,
                InvalidReason = r.InvalidReason,
            });
        }
        return new CheckpointSamples(checkpoint, iteration, records);
    }
}
