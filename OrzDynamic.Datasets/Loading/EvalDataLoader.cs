namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Loads evaluation files (JSON array or JSON Lines; see <see cref="EvalRecordParser"/> for record forms), renders the
/// prompts, drops prompts longer than <see cref="EvalDataOptions.PromptMaxLen"/> tokens, and selects the debug or
/// random subset. Malformed input throws one <see cref="DataFormatException"/> listing every problem, unless
/// <see cref="EvalDataOptions.SkipInvalidRecords"/> is set, in which case each bad record is logged and counted.
/// </summary>
public sealed class EvalDataLoader
{
    private readonly ILogger _logger;

    /// <summary>Creates a loader that logs warnings to <paramref name="logger"/>.</summary>
    public EvalDataLoader(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// Loads <paramref name="paths"/> (files, or directories whose <c>*.json</c>/<c>*.jsonl</c> files are taken in
    /// name order).
    /// </summary>
    /// <param name="paths">Data files or directories.</param>
    /// <param name="options">Selection and validation options (null: defaults).</param>
    /// <param name="tokenizer">Supplies the bos token for the template and token counts for the length limit; may be
    /// null when <see cref="EvalDataOptions.PromptMaxLen"/> is not set.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <exception cref="DataFormatException">Malformed files or records (every problem listed).</exception>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public EvalDataSet Load(IEnumerable<string> paths, EvalDataOptions? options = null, IPromptTokenizer? tokenizer = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new EvalDataOptions();
        options.Validate();
        if (options.PromptMaxLen is not null && tokenizer is null)
            throw new ArgumentException("PromptMaxLen requires a tokenizer to count prompt tokens.", nameof(tokenizer));

        var files = ExpandPaths(paths);
        if (files.Count == 0) throw new ArgumentException("No data files were given.", nameof(paths));
        var reading = new RecordFiles(_logger);
        var perFile = new List<(string Path, string Name, int Records, List<EvalSample> Valid)>();

        foreach (var path in files)
        {
            var raw = reading.Read(path, options.ReplaceInvalidUtf8, out var records, cancellationToken);
            var name = Path.GetFileNameWithoutExtension(path);
            var valid = new List<EvalSample>();
            foreach (var record in raw)
            {
                var fields = EvalRecordParser.Parse(path, record, reading.RecordErrors);
                if (fields is null) continue;
                var prompt = options.Template.Render(fields.Question, tokenizer?.BosToken);
                valid.Add(new EvalSample(name, path, record.Index, fields.Question, fields.Answer, fields.Choices, prompt, null));
            }
            perFile.Add((path, name, records, valid));
        }

        var skippedRecords = reading.Finish(options.SkipInvalidRecords, "record");

        int skippedLong = 0;
        var summaries = new List<EvalFileSummary>();
        var kept = new List<List<EvalSample>>();
        foreach (var (path, name, records, valid) in perFile)
        {
            var within = new List<EvalSample>(valid.Count);
            foreach (var s in valid)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (tokenizer is null) { within.Add(s); continue; }
                int count = tokenizer.Encode(s.Prompt).Count;
                if (options.PromptMaxLen is int max && count > max)
                {
                    skippedLong++;
                    _logger.LogWarning("Skipping record {Index} of {File}: prompt has {Tokens} tokens, more than PromptMaxLen {Max}",
                        s.Index, path, count, max);
                    continue;
                }
                within.Add(s with { PromptTokenCount = count });
            }
            // The debug cut comes after the length count: WithinLength counts every prompt that fits, cut or not.
            int withinLength = within.Count;
            if (options.DebugMode && within.Count > options.DebugSamplesPerFile) within = within.Take(options.DebugSamplesPerFile).ToList();
            kept.Add(within);
            summaries.Add(new EvalFileSummary(name, path, records, valid.Count, withinLength, 0));
        }

        var all = kept.SelectMany(k => k).ToList();
        if (options.MaxEvalSamples is int n && n < all.Count)
        {
            // Like the Python tool: shuffle all samples and keep the first n — here with a seeded Fisher–Yates, so the
            // subset is reproducible; the kept samples are returned in load order.
            var chosen = new HashSet<int>(SeededShuffle(all.Count, options.Seed).Take(n));
            all = all.Where((_, i) => chosen.Contains(i)).ToList();
        }
        var selectedPerFile = all.GroupBy(s => s.SourcePath).ToDictionary(g => g.Key, g => g.Count());
        summaries = summaries.Select(f => f with { Selected = selectedPerFile.GetValueOrDefault(f.Path) }).ToList();
        return new EvalDataSet(all, summaries, skippedRecords, reading.RecordErrors, skippedLong);
    }

    /// <summary>A permutation of 0..count-1 by Fisher–Yates with <see cref="Random"/>(<paramref name="seed"/>) (stable across runs).</summary>
    public static int[] SeededShuffle(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Random(seed);
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>Expands directories to their <c>*.json</c>/<c>*.jsonl</c> files (name order); files are kept as given.</summary>
    public static List<string> ExpandPaths(IEnumerable<string> paths)
    {
        var result = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
                result.AddRange(Directory.EnumerateFiles(p)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            else if (File.Exists(p)) result.Add(p);
            else throw new FileNotFoundException($"Data file or directory not found: {p}", p);
        }
        return result;
    }
}
