namespace OrzDynamic.Core.Statistics;

/// <summary>
/// The per-sample records of one checkpoint, keyed by (dataset, index): the paired data of the checkpoint
/// comparisons. With several answers per prompt, <see cref="Prompts"/> holds every answer of a prompt and
/// <see cref="Records"/> its sample 0. Build it from an <see cref="EvalResults"/> (its <see cref="EvalResults.Samples"/>), from records, or
/// read it (read-only) from a checkpoint's <c>results.jsonl</c>.
/// </summary>
public sealed class CheckpointSamples
{
    private readonly Dictionary<(string Dataset, int Index), SampleRecord> _records;
    private readonly Dictionary<(string Dataset, int Index), IReadOnlyList<SampleRecord>> _prompts;

    /// <summary>Creates the set; a later duplicate (dataset, index, sample number) is rejected.</summary>
    /// <exception cref="ArgumentException">Two records share a (dataset, index, sample number).</exception>
    public CheckpointSamples(string checkpoint, int iteration, IEnumerable<SampleRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        Checkpoint = checkpoint;
        Iteration = iteration;
        var seen = new HashSet<(string, int, int)>();
        var prompts = new Dictionary<(string, int), List<SampleRecord>>();
        foreach (var r in records)
        {
            if (!seen.Add(ResultsJournal.KeyOf(r)))
                throw new ArgumentException($"Checkpoint '{checkpoint}': sample {Describe(r)} appears twice.", nameof(records));
            if (!prompts.TryGetValue((r.Dataset, r.Index), out var list)) prompts[(r.Dataset, r.Index)] = list = [];
            list.Add(r);
        }
        _prompts = prompts.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<SampleRecord>)kv.Value.OrderBy(r => r.Sample ?? 0).ToArray());
        _records = _prompts.ToDictionary(kv => kv.Key, kv => kv.Value[0]);
        SamplesPerPrompt = _prompts.Count == 0 ? 1 : _prompts.Values.Max(v => v.Count);
    }

    private static string Describe(SampleRecord r) => r.Sample is { } s ? $"{r.Dataset}#{r.Index}/{s}" : $"{r.Dataset}#{r.Index}";

    /// <summary>Every answer of each prompt, by (dataset, index), in sample order.</summary>
    public IReadOnlyDictionary<(string Dataset, int Index), IReadOnlyList<SampleRecord>> Prompts => _prompts;

    /// <summary>The most answers any prompt has (1 for a one-answer run).</summary>
    public int SamplesPerPrompt { get; }

    /// <summary>Checkpoint label.</summary>
    public string Checkpoint { get; }

    /// <summary>Training iteration (the x position in trends).</summary>
    public int Iteration { get; }

    /// <summary>Records by (dataset, index) (with several answers per prompt, each prompt's first answer).</summary>
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
        var seen = new HashSet<(string, int, int)>();
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
            if (!seen.Add(ResultsJournal.KeyOf(rec)))
                throw new ResultsFileException(path, i + 1, $"sample {Describe(rec)} appears twice");
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
            records.Add(JsonlRecord.Parse<SampleRecordView>(line.Span, ResultsJournal.LineOptions, path, reader.LineNumber, "sample record")
                .ToComparisonRecord());
        }
        return new CheckpointSamples(checkpoint, iteration, records);
    }
}
