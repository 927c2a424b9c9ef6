using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Precision;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Datasets.Templates;
using OrzDynamic.Metrics;

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
        Tokenizer = HfTokenizer.FromDirectory(config.EffectiveTokenizerPath, _loggerFactory.CreateLogger<HfTokenizer>());
        cancellationToken.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        Precision = MixedPrecisionModel.Load(config.ModelPath, config.Device, ParseDType(config.RequestedGenerationDType),
            ParseDType(config.RequestedScoringDType), _loggerFactory.CreateLogger("OrzDynamic.Core.Loading"), cancellationToken);
        Model = Precision.ScoringModel;
        _logger.LogInformation("Loaded {Checkpoint} ({Type}; {Precision}) in {Seconds:0.0} s", config.ModelPath, Model.Config.ModelType, Precision.Plan, sw.Elapsed.TotalSeconds);
        try
        {
            CheckVocabulary();
        }
        catch
        {
            Precision.Dispose();
            throw;
        }
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
        config.Validate(requireModelFiles: false);
        Config = config;
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<Evaluator>();
        Precision = MixedPrecisionModel.Wrap(model, ParseDType(config.RequestedGenerationDType), ParseDType(config.RequestedScoringDType),
            _loggerFactory.CreateLogger("OrzDynamic.Core.Loading"));
        CheckVocabulary();
    }

    /// <summary>The settings of this evaluation.</summary>
    public EvaluatorConfig Config { get; }

    /// <summary>The model being evaluated (its resident weights, used for scoring).</summary>
    public CausalLM Model { get; }

    /// <summary>The model prepared for generation and scoring in their dtypes.</summary>
    public MixedPrecisionModel Precision { get; }

    private static TorchSharp.torch.ScalarType? ParseDType(string? name) => name is null ? null : ModelLoadOptions.ParseDType(name);

    /// <summary>The tokenizer.</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>The per-sample journal.</summary>
    public string JournalPath => Path.Combine(Config.OutputDir, OutputFiles.Journal);

    /// <summary>The summary written at the end of <see cref="EvalAsync"/>.</summary>
    public string SummaryPath => Path.Combine(Config.OutputDir, OutputFiles.Summary);

    /// <summary>
    /// Draws the comparison charts when <see cref="EvaluatorConfig.EnableVisualization"/> is set (e.g.
    /// OrzDynamic.Plotting's <c>PngChartWriter</c>); null writes no charts.
    /// </summary>
    public IChartWriter? ChartWriter { get; set; }

    /// <summary>Charts written by the last <see cref="EvalAsync"/>.</summary>
    public IReadOnlyList<string> ChartPaths => _chartPaths;

    private void CheckVocabulary()
    {
        if (Tokenizer.VocabSize > Model.Config.VocabSize)
            throw new EvaluatorConfigException([$"Tokenizer '{Tokenizer.Source}' has {Tokenizer.VocabSize} tokens but the model's vocabulary is {Model.Config.VocabSize}"]);
    }

    /// <summary>
    /// Runs the evaluation on a worker thread. Cancelling stops after the sample being written; the journal stays valid
    /// and a later run resumes from it.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="DataFormatException">Malformed data files (every bad record listed).</exception>
    /// <exception cref="ResultsFileException">The output directory holds results of a run with other settings.</exception>
    public Task<EvalResults> EvalAsync(IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.Run(() => Run(progress, cancellationToken), cancellationToken);
    }

    private EvalResults Run(IProgress<EvalProgress>? progress, CancellationToken ct)
    {
        var checkpoint = Config.EffectiveCheckpointName;
        progress?.Report(new EvalProgress(checkpoint, EvalStage.Loading, 0, 0, 0, 0));
        // Everything that can be checked is checked before the first token is generated: output paths, generation
        // limits against the model and the memory, every data and custom sentence file.
        OutputLocation.Check(Config.OutputDir, [OutputFiles.Journal, OutputFiles.Summary, RunManifest.FileName]);
        var limits = ResolveLimits();
        var customSets = LoadCustomSentences(ct);
        var data = LoadData(limits, ct);
        Directory.CreateDirectory(Config.OutputDir);
        BuildManifest().WriteOrVerify(Config.OutputDir, ResultsJournal.HasRecords(JournalPath), _logger);
        var checkers = CreateCheckers(data);
        using var journal = ResultsJournal.Open(JournalPath, _logger);
        var selected = data.Samples.Select(s => (s.DatasetName, s.Index)).ToHashSet();
        int done = journal.Records.Count(r => selected.Contains((r.Dataset, r.Index)));
        if (done > 0) _logger.LogInformation("Resuming: {Done} of {Total} samples already in {Journal}", done, data.Samples.Count, JournalPath);

        var scorer = CreateScorer();
        var counters = new BatchCounters { Done = done };
        RunBatches(data.Samples, 0, (data.Samples.Count + Config.BatchSize - 1) / Config.BatchSize, null, limits, journal, scorer, checkers, counters, progress, ct);
        done = counters.Done;
        long generatedTokens = counters.GeneratedTokens;
        var sw = counters.Clock;

        progress?.Report(new EvalProgress(checkpoint, EvalStage.CustomSentences, done, data.Samples.Count, generatedTokens, Rate(generatedTokens, sw)));
        var custom = ScoreCustomSentences(customSets, scorer, ct);

        progress?.Report(new EvalProgress(checkpoint, EvalStage.Finishing, done, data.Samples.Count, generatedTokens, Rate(generatedTokens, sw)));
        var records = journal.Records.Where(r => selected.Contains((r.Dataset, r.Index))).ToArray();
        var skips = data.Files.GroupBy(f => f.DatasetName).ToDictionary(g => g.Key, g => new ResultsAggregator.SkipCounts(
            g.Sum(f => f.Valid - f.WithinLength), g.Sum(f => f.Records - f.Valid)));
        var results = ResultsAggregator.Aggregate(checkpoint, Config.ModelPath, records, data.DatasetNames.Distinct().ToArray(), skips, custom,
            Config.ConfidenceLevel);
        WriteOutputs(results, records, ct);
        _logger.LogInformation("{Checkpoint}: {Results}", checkpoint, results);
        progress?.Report(new EvalProgress(checkpoint, EvalStage.Done, done, data.Samples.Count, generatedTokens, Rate(generatedTokens, sw)));
        return results;
    }

    /// <summary>Progress counters shared by <see cref="RunBatches"/> calls.</summary>
    internal sealed class BatchCounters
    {
        public int Done { get; set; }
        public long GeneratedTokens { get; set; }
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
    }

    /// <summary>
    /// Generates, checks and scores the samples of generation batches <paramref name="firstBatch"/> …
    /// +<paramref name="batchCount"/> of <paramref name="samples"/> (the fixed partition of the selection into
    /// <see cref="EvaluatorConfig.BatchSize"/> prompts) through the <see cref="AnswerScheduler"/>, and appends the
    /// samples of <paramref name="onlyDataset"/> (null = all) that are not yet in <paramref name="journal"/>. Samples of
    /// other datasets count as done: under static batching they are still generated as batch-mates (not recorded), so
    /// a sample's record does not depend on which part of the selection a process runs (the hook for sharded runs);
    /// under continuous batching they are not generated at all. Seeds depend on (run seed, dataset, index) only.
    /// </summary>
    internal void RunBatches(IReadOnlyList<EvalSample> samples, int firstBatch, int batchCount, string? onlyDataset, GenerationLimits limits, ResultsJournal journal,
        ResponseScorer scorer, IReadOnlyDictionary<string, IAnswerChecker> checkers, BatchCounters counters, IProgress<EvalProgress>? progress,
        CancellationToken ct)
    {
        var checkpoint = Config.EffectiveCheckpointName;
        var scheduler = new AnswerScheduler(Precision.GenerationModel, Config.GenerationMode, Config.BatchSize, _loggerFactory.CreateLogger<AnswerScheduler>());
        var options = BaseGenerationOptions(limits);
        var sw = counters.Clock;
        int total = samples.Count;
        // Units start on a batch boundary, so the slice partitions into the same static batches as the whole selection.
        var slice = samples.Skip(firstBatch * Config.BatchSize).Take(batchCount * Config.BatchSize).ToArray();
        bool Done(EvalSample s) => (onlyDataset is not null && s.DatasetName != onlyDataset) || journal.Contains(s.DatasetName, s.Index);
        long before = counters.GeneratedTokens;
        var tokenProgress = new InlineProgress<long>(n =>
        {
            counters.GeneratedTokens = before + n;
            progress?.Report(new EvalProgress(checkpoint, EvalStage.Generating, counters.Done, total, before + n, Rate(before + n, sw)));
        });
        progress?.Report(new EvalProgress(checkpoint, EvalStage.Generating, counters.Done, total, counters.GeneratedTokens, Rate(counters.GeneratedTokens, sw)));
        foreach (var answers in scheduler.Run(slice, Done, Tokenizer.Encode, Config.Seed, options, tokenProgress, ct))
        {
            progress?.Report(new EvalProgress(checkpoint, EvalStage.Scoring, counters.Done, total, counters.GeneratedTokens, Rate(counters.GeneratedTokens, sw)));
            var scored = scorer.Score(answers.Select(a => (a.PromptIds, a.Generation.TokenIds)).ToArray(), ct);
            for (int k = 0; k < answers.Count; k++)
            {
                var (sample, prompt, gen) = answers[k];
                var record = BuildRecord(sample, gen, prompt.Count, scored[k], checkers[sample.DatasetName], checkpoint, ct);
                journal.Append(record);
                counters.Done++;
                LogSample(record);
                progress?.Report(new EvalProgress(checkpoint, EvalStage.Scoring, counters.Done, total, counters.GeneratedTokens, Rate(counters.GeneratedTokens, sw), sample.DatasetName));
            }
            Memory.NativeHeap.Trim();   // RSS follows the current batch, not the largest batch so far
        }
    }

    // Hooks for sharded runs (OrzDynamic.Core.Sharding): the same limits, selection, checkers, scorer and manifest as Run.
    internal GenerationLimits ResolveLimits() => GenerationLimits.Resolve(Config, Model.Config, Model.DType, _logger);
    internal EvalDataSet LoadSelection(GenerationLimits limits, CancellationToken ct) => LoadData(limits, ct);
    internal IReadOnlyDictionary<string, IAnswerChecker> CreateCheckers(EvalDataSet data) =>
        AnswerCheckerSelection.ForDatasets(Config, data.Samples, _loggerFactory);
    internal ResponseScorer CreateScorer() => new(Model, Tokenizer, Config, Precision.ScoringDType);
    internal Dictionary<string, StratumResult> ScoreCustomSentences(CancellationToken ct) => ScoreCustomSentences(LoadCustomSentences(ct), CreateScorer(), ct);
    internal RunManifest Manifest() => BuildManifest();

    private static double Rate(long tokens, Stopwatch sw) => sw.Elapsed.TotalSeconds <= 0 ? 0 : tokens / sw.Elapsed.TotalSeconds;

    private EvalDataSet LoadData(GenerationLimits limits, CancellationToken ct)
    {
        if (Config.EvalPromptData.Count == 0) return new EvalDataSet([], [], 0, [], 0);
        var data = EvalDataSelection.Load(Config, limits.PromptMaxLen, Tokenizer, _loggerFactory, ct);
        _logger.LogInformation("Selected {Count} samples from {Files} file(s); {TooLong} prompt(s) over {Max} tokens skipped, {Bad} bad record(s) skipped",
            data.Samples.Count, data.Files.Count, data.SkippedLongPrompts, limits.PromptMaxLen, data.SkippedInvalidRecords);
        return data;
    }

    private GenerationOptions BaseGenerationOptions(GenerationLimits limits)
    {
        var eos = Tokenizer.EosTokenIds.Concat(Model.Config.EosTokenIds).Distinct().ToArray();
        return new GenerationOptions
        {
            MaxNewTokens = limits.MaxNewTokens,
            MaxPositions = limits.MaxPositions,
            Temperature = Config.DoSample ? Config.Temperature : 0,
            TopK = Config.TopK,
            TopP = Config.TopP,
            EosTokenIds = eos,
            PadTokenId = Tokenizer.PadTokenId ?? (eos.Length > 0 ? eos[0] : 0),
        };
    }

    /// <summary>Reports synchronously on the generating thread.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private SampleRecord BuildRecord(EvalSample sample, GenerationResult gen, int promptTokens, ScoredResponse scored,
        IAnswerChecker checker, string checkpoint, CancellationToken ct)
    {
        var responseIds = gen.FinishReason == FinishReason.EndOfSequence ? gen.TokenIds.Take(gen.TokenIds.Count - 1) : gen.TokenIds;
        var output = Tokenizer.Decode(responseIds, skipSpecialTokens: true);
        int padded = gen.TokenIds.Count(id => !Tokenizer.IsKnownId(id));
        if (padded > 0)
            _logger.LogWarning("{Dataset}#{Index}: {Count} generated id(s) beyond the tokenizer (the model's padded vocabulary) decoded as empty text; scored normally",
                sample.DatasetName, sample.Index, padded);
        var check = checker.Check(sample.Answer, output, sample.Choices, ct);
        var metrics = LdMetrics.From(scored.Metrics);
        string? invalid = metrics.ValidTokens == 0 ? "the response has no tokens to score"
            : !metrics.IsValid ? "non-finite metrics: " + string.Join(", ", LdMetricKeys.All.Where(n => !double.IsFinite(metrics.Get(n))))
            : null;
        if (invalid is not null)
            _logger.LogWarning("{Dataset}#{Index}: kept out of the metric means: {Reason}", sample.DatasetName, sample.Index, invalid);
        return new SampleRecord
        {
            Dataset = sample.DatasetName,
            Index = sample.Index,
            Checkpoint = checkpoint,
            Prompt = sample.Prompt,
            Output = output,
            FinalAnswer = check.ExtractedAnswer,
            Answer = sample.Answer,
            IsCorrect = check.IsCorrect,
            TokenIds = gen.TokenIds,
            PromptTokens = promptTokens,
            FinishReason = FinishReasons.Of(gen.FinishReason),
            PaddedVocabTokens = padded > 0 ? padded : null,
            LdMetrics = metrics,
            SampledTokens = invalid is null
                ? RandomTokenStratum.Draw(scored.Traces, Config.RandomTokensPerSample,
                    RandomTokenStratum.SampleSeed(Config.Seed, sample.DatasetName, sample.Index),
                    Model.Config.VocabSize, Config.LegacyOrzClamps, id => Tokenizer.Decode([id]))
                : null,
            InvalidReason = invalid,
            TokenTraces = Config.SaveTokenTraces ? TracesOf(scored) : null,
        };
    }

    private static TokenTraces TracesOf(ScoredResponse scored)
    {
        var valid = scored.Traces.Where(t => t.IsValid).ToArray();
        return new TokenTraces
        {
            LogProbs = valid.Select(t => t.LogProbLabel).ToArray(),
            ArgmaxIds = valid.Select(t => t.Argmax).ToArray(),
            ProbMax = valid.Select(t => t.ProbMax).ToArray(),
        };
    }

    private void LogSample(SampleRecord r)
    {
        if (!Config.VerboseLearningDynamics || r.LdMetrics is null) return;
        var m = r.LdMetrics;
        _logger.LogInformation(
            "{Dataset}#{Index} correct={Correct} tokens={Tokens} out_token={OutToken:0.###} out_argmax={OutArgmax:0.###} A_norm={ANorm:0.###} prob_gap2_mean={Gap:0.####} prob_energy={Energy:0.####} argmax_match={Match:0.###}",
            r.Dataset, r.Index, r.IsCorrect, m.ValidTokens, m.OutToken, m.OutArgmax, m.ANorm, m.ProbGap2Mean, m.ProbEnergy, m.ArgmaxMatchRate);
    }

    /// <summary>Loads (and so validates) every custom sentence file before any generation starts.</summary>
    private List<(string Path, CustomSentenceSet Set)> LoadCustomSentences(CancellationToken ct)
    {
        var loader = new CustomSentenceLoader(_loggerFactory.CreateLogger<CustomSentenceLoader>());
        return Config.CustomSentenceFiles.Select(path => (path, loader.Load(path, Config.SkipInvalidRecords, ct, Config.AllowInvalidUtf8))).ToList();
    }

    private Dictionary<string, StratumResult> ScoreCustomSentences(List<(string Path, CustomSentenceSet Set)> sets, ResponseScorer scorer, CancellationToken ct)
    {
        var result = new Dictionary<string, StratumResult>(StringComparer.Ordinal);
        foreach (var (path, set) in sets)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
            var outPath = Path.Combine(Config.OutputDir, OutputFiles.CustomSentences(stem));
            var items = new List<LdMetrics>();
            var lines = new List<string>();
            foreach (var sentence in set.Sentences)
            {
                ct.ThrowIfCancellationRequested();
                var prompt = Tokenizer.Encode(sentence.Prompt);
                var response = Tokenizer.Encode(sentence.Response);
                if (prompt.Count + response.Count > Model.Config.MaxPositionEmbeddings)
                {
                    // Never score beyond the model's positions: such a sentence is skipped, with a warning and a note in the file.
                    var reason = $"prompt + response have {prompt.Count + response.Count} tokens, more than the model's {Model.Config.MaxPositionEmbeddings} positions";
                    _logger.LogWarning("{File} record {Index}: skipped: {Reason}", path, sentence.Index, reason);
                    lines.Add(JsonSerializer.Serialize(new { index = sentence.Index, group = sentence.Group, label = sentence.Label, prompt = sentence.Prompt, response = sentence.Response, skipped_reason = reason }, ResultsJournal.LineOptions));
                    continue;
                }
                var scored = scorer.Score([(prompt, response)], ct)[0];
                var metrics = LdMetrics.From(scored.Metrics);
                if (metrics.IsValid) items.Add(metrics);
                else _logger.LogWarning("{File} record {Index}: kept out of the means (no response tokens or non-finite metrics)", path, sentence.Index);
                lines.Add(JsonSerializer.Serialize(new { index = sentence.Index, group = sentence.Group, label = sentence.Label, prompt = sentence.Prompt, response = sentence.Response, ld_metrics = metrics }, ResultsJournal.LineOptions));
            }
            AtomicFile.WriteAllLines(outPath, lines);
            result[stem] = StratumResult.Of(items);
            _logger.LogInformation("Custom sentences {File}: {Count} scored", path, items.Count);
        }
        return result;
    }

    private void WriteOutputs(EvalResults results, IReadOnlyList<SampleRecord> records, CancellationToken ct)
    {
        results.WriteSummary(SummaryPath);
        if (Config.SaveDetailedResults)
        {
            foreach (var ds in results.Datasets.Values)
            {
                var path = Path.Combine(Config.OutputDir, OutputFiles.DatasetResults(ds.Name, ds.Accuracy));
                AtomicFile.WriteAllLines(path, records.Where(r => r.Dataset == ds.Name).OrderBy(r => r.Index)
                    .Select(r => JsonSerializer.Serialize(r, ResultsJournal.LineOptions)));
                // Older files of this dataset (another accuracy in the name) go only after the new one is in place.
                foreach (var stale in Directory.EnumerateFiles(Config.OutputDir, OutputFiles.DatasetResultsPattern(ds.Name)))
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

    private RunManifest BuildManifest() => RunManifestFactory.For(Config, Tokenizer.Source, Precision.GenerationDType, Precision.ScoringDType);

    /// <summary>
    /// Combines the results of several checkpoints (checkpoint path → results) into dataset → stratum → metric →
    /// (iterations, values), sorted by iteration (see <see cref="MultiCheckpointAggregator"/>).
    /// </summary>
    public static TrendData AggregateMultiCheckpointResults(IReadOnlyDictionary<string, EvalResults> resultsByCheckpoint) =>
        MultiCheckpointAggregator.Aggregate(resultsByCheckpoint);

    /// <summary>
    /// Writes <c>trends.csv</c> and, when <paramref name="chartWriter"/> is given, one trend chart per dataset;
    /// returns the written paths, CSV first.
    /// </summary>
    public static IReadOnlyList<string> SaveTrends(TrendData trends, string outputDir, IChartWriter? chartWriter = null,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trends);
        Directory.CreateDirectory(outputDir);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Evaluator>();
        var csv = Path.Combine(outputDir, OutputFiles.TrendsCsv);
        int rows = TrendsCsvWriter.Write(trends, csv, cancellationToken);
        logger.LogInformation("Wrote {Rows} trend rows to {Path}", rows, csv);
        var written = new List<string> { csv };
        if (chartWriter is null) return written;
        foreach (var trend in trends.Datasets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            written.Add(chartWriter.SaveTrends(trend, outputDir, cancellationToken));
        }
        return written;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Precision.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
