using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Precision;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// Evaluates one checkpoint: for every selected prompt it generates an answer, checks it, scores prompt+answer in one
/// teacher-forced pass (prompt masked) and stores the learning-dynamics metrics; then aggregates them per dataset into
/// correct / incorrect / random-token strata. Mirrors the Python tool's <c>Evaluator</c>:
/// <code>
/// await using var evaluator = new Evaluator(config);
/// var results = await evaluator.EvalAsync();   // results["math500/accuracy"], ["math500/ld_correct/prob_energy"], …
/// </code>
/// Every finished sample is appended to <c>results.jsonl</c> in <see cref="EvaluatorConfig.OutputDir"/> and flushed
/// at once; rerunning with the same output directory and settings resumes where the last run stopped.
/// </summary>
public sealed class Evaluator : IAsyncDisposable, IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly CheckpointPipeline _pipeline;
    private readonly List<string> _chartPaths = [];
    private bool _disposed;

    /// <summary>
    /// Loads the checkpoint and tokenizer named by <paramref name="config"/> (synchronously, like the Python tool's
    /// constructor; use <see cref="CreateAsync"/> to load on a worker thread with cancellation).
    /// </summary>
    /// <exception cref="EvaluatorConfigException">A setting is invalid (every problem listed).</exception>
    public Evaluator(EvaluatorConfig config, ILoggerFactory? loggerFactory = null)
        : this(config, loggerFactory, CancellationToken.None)
    {
    }

    private Evaluator(EvaluatorConfig config, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate(requireModelFiles: true);
        Config = config;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<Evaluator>();
        _pipeline = CheckpointPipeline.Load(RunSettings.Of(config), _loggerFactory, cancellationToken);
    }

    /// <summary>
    /// Validates <paramref name="config"/> and loads its checkpoint and tokenizer on a worker thread. Cancelling
    /// before the weights are read stops the load; a cancelled load releases everything it allocated.
    /// </summary>
    /// <exception cref="EvaluatorConfigException">A setting is invalid (every problem listed).</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<Evaluator> CreateAsync(EvaluatorConfig config, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Task.Run(() => new Evaluator(config, loggerFactory, cancellationToken), cancellationToken);
    }

    /// <summary>Uses an already loaded model and tokenizer (not disposed by the evaluator).</summary>
    /// <exception cref="EvaluatorConfigException">A setting is invalid (every problem listed).</exception>
    public Evaluator(EvaluatorConfig config, CausalLM model, HfTokenizer tokenizer, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        config.Validate(requireModelFiles: false);
        Config = config;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<Evaluator>();
        _pipeline = CheckpointPipeline.Wrap(RunSettings.Of(config), model, tokenizer, _loggerFactory);
    }

    /// <summary>The settings of this evaluation.</summary>
    public EvaluatorConfig Config { get; }

    /// <summary>The model being evaluated (its resident weights, used for scoring).</summary>
    public CausalLM Model => _pipeline.Model;

    /// <summary>The model prepared for generation and scoring in their dtypes.</summary>
    internal MixedPrecisionModel Precision => _pipeline.Precision;

    /// <summary>The tokenizer.</summary>
    public HfTokenizer Tokenizer => _pipeline.Tokenizer;

    /// <summary>The per-sample journal.</summary>
    public string JournalPath => Path.Combine(Config.OutputDir, OutputLayout.Journal);

    /// <summary>The summary written at the end of <see cref="EvalAsync"/>.</summary>
    public string SummaryPath => Path.Combine(Config.OutputDir, OutputLayout.Summary);

    /// <summary>
    /// Draws the comparison charts when <see cref="EvaluatorConfig.EnableVisualization"/> is set (e.g.
    /// OrzDynamic.Plotting's <c>PngChartWriter</c>); null writes no charts.
    /// </summary>
    public IChartWriter? ChartWriter { get; set; }

    /// <summary>Charts written by the last <see cref="EvalAsync"/>.</summary>
    public IReadOnlyList<string> ChartPaths => _chartPaths;

    /// <summary>
    /// Runs the evaluation on a worker thread. Cancelling stops after the sample being written; the journal stays valid
    /// and a later run resumes from it.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="DataFormatException">Malformed data files (every bad record listed).</exception>
    /// <exception cref="ResultsFileException">The output directory holds results of a run with other settings.</exception>
    /// <exception cref="OutputDirectoryInUseException">Another process writes into the output directory.</exception>
    public Task<EvalResults> EvalAsync(IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.Run(() => Run(progress, cancellationToken), cancellationToken);
    }

    private EvalResults Run(IProgress<EvalProgress>? sink, CancellationToken ct)
    {
        var checkpoint = Config.EffectiveCheckpointName;
        sink?.Report(new EvalProgress(checkpoint, EvalStage.Loading, 0, 0, 0, 0));
        OutputLocation.Check(Config.OutputDir, [OutputLayout.Journal, OutputLayout.Summary, OutputLayout.Manifest]);
        using var writer = OutputDirectoryLock.Acquire(Config.OutputDir);   // one writer per output directory
        TempLeftovers.Remove(Config.OutputDir, _logger);                     // *.tmp of an earlier run that was killed
        var selection = _pipeline.Select(ct);
        var samples = selection.Data.Samples;
        _pipeline.Manifest().WriteOrVerify(Config.OutputDir, ResultsJournal.HasRecords(JournalPath), _logger);
        using var journal = ResultsJournal.Open(JournalPath, _logger);
        var selected = samples.Select(s => (s.DatasetName, s.Index)).ToHashSet();
        bool Selected(SampleRecord r) => selected.Contains((r.Dataset, r.Index)) && (r.Sample ?? 0) < Config.NSamples;
        int total = samples.Count * Config.NSamples;
        int done = journal.Records.Count(Selected);
        if (done > 0) _logger.LogInformation(DecisionLog.Event, "Resuming: {Done} of {Total} samples already in {Journal}", done, total, JournalPath);

        var progress = new SampleProgress(checkpoint, total, done, sink);
        _pipeline.Answer(selection, SampleSlice.All(samples.Count, Config.BatchSize), journal, progress, ct);

        progress.Report(EvalStage.CustomSentences);
        var custom = _pipeline.ScoreCustomSentences(selection, Config.OutputDir, ct);

        progress.Report(EvalStage.Finishing);
        var records = journal.Records.Where(Selected).ToArray();
        var skips = selection.Data.Files.GroupBy(f => f.DatasetName).ToDictionary(g => g.Key, g => new ResultsAggregator.SkipCounts(
            g.Sum(f => f.Valid - f.WithinLength), g.Sum(f => f.Records - f.Valid)));
        var results = ResultsAggregator.Aggregate(checkpoint, Config.ModelPath, records, selection.Data.DatasetNames.Distinct().ToArray(), skips, custom,
            Config.ConfidenceLevel, Config.NSamples, CheckerEquivalence.Of(selection.Checkers, ct));
        WriteOutputs(results, records, ct);
        _logger.LogInformation("{Checkpoint}: {Results}", checkpoint, results);
        progress.Report(EvalStage.Done);
        return results;
    }

    private void WriteOutputs(EvalResults results, IReadOnlyList<SampleRecord> records, CancellationToken ct)
    {
        results.WriteSummary(SummaryPath);
        if (Config.SaveDetailedResults)
        {
            foreach (var ds in results.Datasets.Values)
            {
                var path = Path.Combine(Config.OutputDir, OutputLayout.DatasetResults(ds.Name, ds.Accuracy));
                AtomicFile.WriteAllLines(path, records.Where(r => r.Dataset == ds.Name).OrderBy(r => r.Index).ThenBy(r => r.Sample ?? 0)
                    .Select(r => JsonSerializer.Serialize(r, ResultsJournal.LineOptions)));
                // Older files of this dataset (another accuracy in the name) go only after the new one is in place.
                foreach (var stale in Directory.EnumerateFiles(Config.OutputDir, OutputLayout.DatasetResultsPattern(ds.Name)))
                    if (!string.Equals(Path.GetFullPath(stale), Path.GetFullPath(path), StringComparison.Ordinal)) File.Delete(stale);
            }
        }
        _chartPaths.Clear();
        if (!Config.EnableVisualization) return;
        if (ChartWriter is null)
        {
            _logger.LogInformation("No chart writer set: comparison charts skipped (reference OrzDynamic.Plotting and set Evaluator.ChartWriter)");
            return;
        }
        foreach (var ds in results.Datasets.Values.Where(d => d.Evaluated > 0))
        {
            ct.ThrowIfCancellationRequested();
            _chartPaths.Add(ChartWriter.SaveComparison(ChartDataMapper.ToComparison(ds, results.Checkpoint), Config.OutputDir, ct));
        }
    }

    /// <summary>
    /// Checks every checkpoint of <paramref name="configs"/> from its files alone, before any model work: config keys and
    /// supported features, every safetensors header against the config, that the tokenizer loads and its ids fit
    /// <c>vocab_size</c>, and that the prompt template renders. No weight is read.
    /// </summary>
    /// <exception cref="OrzDynamicException">Some checkpoint has a problem; the message lists every problem of every checkpoint.</exception>
    public static void CheckCheckpoints(IEnumerable<EvaluatorConfig> configs) => CheckpointPreflight.Check(configs);

    /// <summary>
    /// Combines the results of several checkpoints (checkpoint path → results) into dataset → stratum → metric →
    /// (iterations, values), sorted by iteration (see <see cref="MultiCheckpointAggregator"/>).
    /// </summary>
    public static TrendData AggregateMultiCheckpointResults(IReadOnlyDictionary<string, EvalResults> resultsByCheckpoint) =>
        MultiCheckpointAggregator.Aggregate(resultsByCheckpoint);

    /// <summary>
    /// Writes <c>trends.csv</c> and, when <paramref name="chartWriter"/> is given, one trend chart per dataset (and,
    /// with several answers per prompt, its pass@k chart); returns the written paths, CSV first.
    /// </summary>
    public static IReadOnlyList<string> SaveTrends(TrendData trends, string outputDir, IChartWriter? chartWriter = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trends);
        Directory.CreateDirectory(outputDir);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Evaluator>();
        var csv = Path.Combine(outputDir, OutputLayout.TrendsCsv);
        int rows = TrendsCsvWriter.Write(trends, csv, cancellationToken);
        logger.LogInformation("Wrote {Rows} trend rows to {Path}", rows, csv);
        var written = new List<string> { csv };
        if (chartWriter is null) return written;
        foreach (var trend in trends.Datasets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            written.Add(chartWriter.SaveTrends(trend, outputDir, cancellationToken));
            if (trend.SampleMetrics.Count > 0 && chartWriter.SavePassAtK(trend, outputDir, cancellationToken) is { } passAtK) written.Add(passAtK);
        }
        return written;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _pipeline.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
