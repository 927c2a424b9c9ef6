using System.Diagnostics;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Precision;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>What the select stage hands on: the limits, the selected samples, the custom sentences and the checkers.</summary>
/// <param name="Limits">Generation limits resolved against the model and the memory.</param>
/// <param name="Data">The selected samples, in selection (batch) order.</param>
/// <param name="CustomSentences">Every custom sentence file, loaded (and so validated).</param>
/// <param name="Checkers">The answer checker of each dataset.</param>
internal sealed record Selection(GenerationLimits Limits, EvalDataSet Data, IReadOnlyList<(string Path, CustomSentenceSet Set)> CustomSentences,
    IReadOnlyDictionary<string, IAnswerChecker> Checkers);

/// <summary>
/// Part of a selection to answer: generation batches <paramref name="FirstBatch"/> … +<paramref name="BatchCount"/> (the
/// fixed partition of the selection into <see cref="EvaluatorConfig.BatchSize"/> prompts), recording only the samples
/// of <paramref name="OnlyDataset"/> (null = all).
/// </summary>
internal readonly record struct SampleSlice(int FirstBatch, int BatchCount, string? OnlyDataset)
{
    /// <summary>The whole selection of <paramref name="samples"/> samples.</summary>
    public static SampleSlice All(int samples, int batchSize) => new(0, (samples + batchSize - 1) / batchSize, null);
}

/// <summary>Progress of one checkpoint's samples, carried across the slices a driver answers.</summary>
internal sealed class SampleProgress(string checkpoint, int total, int done, IProgress<EvalProgress>? sink)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public int Done { get; private set; } = done;
    public int Total => total;
    public long GeneratedTokens { get; set; }

    public void Report(EvalStage stage, string? dataset = null) =>
        sink?.Report(new EvalProgress(checkpoint, stage, Done, total, GeneratedTokens, Rate(), dataset));

    public void Completed(string dataset)
    {
        Done++;
        Report(EvalStage.Scoring, dataset);
    }

    private double Rate() => _clock.Elapsed.TotalSeconds <= 0 ? 0 : GeneratedTokens / _clock.Elapsed.TotalSeconds;
}

/// <summary>
/// The stages of one loaded checkpoint: select → generate → check → score → record (and custom sentences, scored
/// teacher-forced). The <see cref="Evaluator"/> drives them over the whole selection in one process; the shard runner
/// drives them over the slices of a plan. Disposing releases what the pipeline loaded or converted (a model handed
/// to <see cref="Wrap"/> stays with its owner).
/// </summary>
internal sealed class CheckpointPipeline : IDisposable
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private ResponseScorer? _scorer;

    private CheckpointPipeline(RunSettings settings, MixedPrecisionModel precision, HfTokenizer tokenizer, ILoggerFactory loggerFactory)
    {
        Settings = settings;
        Precision = precision;
        Tokenizer = tokenizer;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<Evaluator>();
    }

    /// <summary>The resolved settings.</summary>
    public RunSettings Settings { get; }

    /// <summary>The model in its generation and scoring dtypes.</summary>
    public MixedPrecisionModel Precision { get; }

    /// <summary>The resident model (used for scoring).</summary>
    public CausalLM Model => Precision.ScoringModel;

    /// <summary>The tokenizer.</summary>
    public HfTokenizer Tokenizer { get; }

    /// <summary>Loads the checkpoint and tokenizer of <paramref name="settings"/> in the dtypes it asks for.</summary>
    /// <exception cref="EvaluatorConfigException">The tokenizer is larger than the model's vocabulary.</exception>
    public static CheckpointPipeline Load(RunSettings settings, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var config = settings.Config;
        var tokenizer = HfTokenizer.FromDirectory(settings.TokenizerPath, loggerFactory.CreateLogger<HfTokenizer>());
        ct.ThrowIfCancellationRequested();
        var sw = Stopwatch.StartNew();
        var precision = MixedPrecisionModel.Load(config.ModelPath, config.Device, settings.GenerationDType, settings.ScoringDType,
            loggerFactory.CreateLogger("OrzDynamic.Core.Loading"), ct);
        var pipeline = new CheckpointPipeline(settings, precision, tokenizer, loggerFactory);
        pipeline._logger.LogInformation("Loaded {Checkpoint} ({Type}; {Precision}) in {Seconds:0.0} s", config.ModelPath,
            precision.ScoringModel.Config.ModelType, precision.Plan, sw.Elapsed.TotalSeconds);
        try
        {
            pipeline.CheckVocabulary();
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
        return pipeline;
    }

    /// <summary>Uses an already loaded model and tokenizer (not disposed with the pipeline).</summary>
    /// <exception cref="EvaluatorConfigException">The tokenizer is larger than the model's vocabulary.</exception>
    public static CheckpointPipeline Wrap(RunSettings settings, CausalLM model, HfTokenizer tokenizer, ILoggerFactory loggerFactory)
    {
        var precision = MixedPrecisionModel.Wrap(model, settings.GenerationDType, settings.ScoringDType, loggerFactory.CreateLogger("OrzDynamic.Core.Loading"));
        var pipeline = new CheckpointPipeline(settings, precision, tokenizer, loggerFactory);
        pipeline.CheckVocabulary();
        return pipeline;
    }

    private void CheckVocabulary()
    {
        if (Tokenizer.VocabSize > Model.Config.VocabSize)
            throw new EvaluatorConfigException([$"Tokenizer '{Tokenizer.Source}' has {Tokenizer.VocabSize} tokens but the model's vocabulary is {Model.Config.VocabSize}"]);
    }

    /// <summary>The result-relevant settings of this checkpoint's run (written beside its journal).</summary>
    public RunManifest Manifest() => RunManifestFactory.For(Settings.Config, Tokenizer.Source, Precision.GenerationDType, Precision.ScoringDType, Tokenizer);

    /// <summary>
    /// The select stage. Everything that can be checked is checked before the first token is generated: generation
    /// limits against the model and the memory, every custom sentence file and every data file.
    /// </summary>
    /// <exception cref="DataFormatException">Malformed data files (every bad record listed).</exception>
    public Selection Select(CancellationToken ct)
    {
        var config = Settings.Config;
        var limits = GenerationLimits.Resolve(config, Model.Config, Model.DType, _logger);
        var loader = new CustomSentenceLoader(_loggerFactory.CreateLogger<CustomSentenceLoader>());
        var custom = config.CustomSentenceFiles.Select(path => (path, loader.Load(path, config.SkipInvalidRecords, ct, config.AllowInvalidUtf8))).ToList();
        var data = new EvalDataSet([], [], 0, [], 0);
        if (config.EvalPromptData.Count > 0)
        {
            data = EvalDataSelection.Load(config, limits.PromptMaxLen, Tokenizer, _loggerFactory, ct);
            _logger.LogInformation(DecisionLog.Event, "Selected {Count} samples from {Files} file(s); {TooLong} prompt(s) over {Max} tokens skipped, {Bad} bad record(s) skipped",
                data.Samples.Count, data.Files.Count, data.SkippedLongPrompts, limits.PromptMaxLen, data.SkippedInvalidRecords);
            if (config.NSamples > 1)
            {
                _logger.LogInformation(DecisionLog.Event, "{K} answers per prompt: {Answers} answers to generate in all", config.NSamples, data.Samples.Count * config.NSamples);
                if (Settings.Temperature == 0)
                    _logger.LogWarning("{K} answers per prompt with greedy decoding: the answers of a prompt are identical (sample to make them differ)", config.NSamples);
            }
        }
        return new Selection(limits, data, custom, AnswerCheckerSelection.ForDatasets(config, data.Samples, _loggerFactory));
    }

    /// <summary>
    /// Generates, checks, scores and records the answers of <paramref name="slice"/> that are not yet in
    /// <paramref name="journal"/>: <see cref="EvaluatorConfig.NSamples"/> per prompt, all in the slice (a prompt's
    /// samples are never split). Samples of other datasets count as done: under static batching they are still
    /// generated as batch-mates (not recorded), so a sample's record does not depend on which part of the selection a
    /// process runs; under continuous batching they are not generated at all. Seeds depend on (run seed, dataset,
    /// index, sample number) only.
    /// </summary>
    public void Answer(Selection selection, SampleSlice slice, ResultsJournal journal, SampleProgress progress, CancellationToken ct)
    {
        var config = Settings.Config;
        var scheduler = new AnswerScheduler(Precision.GenerationModel, config.GenerationMode, config.BatchSize, _loggerFactory.CreateLogger<AnswerScheduler>());
        var records = new SampleRecordBuilder(Settings, Tokenizer, Model.Config.VocabSize, _logger);
        var scorer = Scorer();
        // Slices start on a batch boundary, so they partition into the same static batches as the whole selection.
        var samples = selection.Data.Samples.Skip(slice.FirstBatch * config.BatchSize).Take(slice.BatchCount * config.BatchSize).ToArray();
        var batches = SampleDraw.Batches(samples, config.BatchSize, config.NSamples);
        bool Done(SampleDraw d) => (slice.OnlyDataset is not null && d.Sample.DatasetName != slice.OnlyDataset)
                                   || journal.Contains(d.Sample.DatasetName, d.Sample.Index, d.Number);
        long before = progress.GeneratedTokens;
        var tokens = new InlineProgress<long>(n =>
        {
            progress.GeneratedTokens = before + n;
            progress.Report(EvalStage.Generating);
        });
        progress.Report(EvalStage.Generating);
        foreach (var answers in scheduler.Run(batches, Done, Tokenizer.Encode, config.Seed, GenerationOptionsOf(selection.Limits), tokens, ct))
        {
            progress.Report(EvalStage.Scoring);
            var segments = Settings.ThinkSegments
                ? answers.Select(a => ThinkSegmentScoring.Find(a.Generation.TokenIds, a.Sample.Prompt, Tokenizer)).ToArray()
                : null;
            var scored = scorer.Score(answers.Select(a => (a.PromptIds, a.Generation.TokenIds)).ToArray(), ct,
                segments?.Select((s, k) => ThinkSegmentScoring.Spans(s, answers[k].Generation.TokenIds.Count)).ToArray());
            for (int k = 0; k < answers.Count; k++)
            {
                var sample = answers[k].Sample;
                journal.Append(records.Build(answers[k], scored[k], selection.Checkers[sample.DatasetName], ct, segments?[k]));
                progress.Completed(sample.DatasetName);
            }
            Memory.NativeHeap.Trim();   // RSS follows the current batch, not the largest batch so far
        }
        var prefill = scheduler.Prefill;
        _logger.LogDebug("Prefill: {Passes} prompt passes over {Rows} rows, {Shared} rows took a shared prefill, {Ms:F0} ms",
            prefill.Computed, prefill.ComputedRows, prefill.SharedRows, prefill.Elapsed.TotalMilliseconds);
    }

    /// <summary>
    /// Scores every custom sentence of <paramref name="selection"/> teacher-forced into
    /// <c>custom_sentence_&lt;stem&gt;.jsonl</c> in <paramref name="outputDir"/>; returns the stratum of each file stem.
    /// </summary>
    public Dictionary<string, StratumResult> ScoreCustomSentences(Selection selection, string outputDir, CancellationToken ct)
    {
        var scorer = Scorer();
        var result = new Dictionary<string, StratumResult>(StringComparer.Ordinal);
        foreach (var (path, set) in selection.CustomSentences)
        {
            var stem = Path.GetFileNameWithoutExtension(path);
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
                var metrics = LdMetrics.From(scorer.Score([(prompt, response)], ct)[0].Metrics);
                if (metrics.InvalidReason is { } invalid) _logger.LogWarning("{File} record {Index}: kept out of the means: {Reason}", path, sentence.Index, invalid);
                else items.Add(metrics);
                lines.Add(JsonSerializer.Serialize(new { index = sentence.Index, group = sentence.Group, label = sentence.Label, prompt = sentence.Prompt, response = sentence.Response, ld_metrics = metrics }, ResultsJournal.LineOptions));
            }
            AtomicFile.WriteAllLines(Path.Combine(outputDir, OutputLayout.CustomSentences(stem)), lines);
            result[stem] = StratumResult.Of(items);
            _logger.LogInformation("Custom sentences {File}: {Count} scored", path, items.Count);
        }
        return result;
    }

    /// <summary>The score stage: prompt + response teacher-forced in the scoring dtype.</summary>
    private ResponseScorer Scorer() => _scorer ??= new ResponseScorer(Model, Tokenizer, Settings.Config, Precision.ScoringDType);

    private GenerationOptions GenerationOptionsOf(GenerationLimits limits)
    {
        var eos = Tokenizer.EosTokenIds.Concat(Model.Config.EosTokenIds).Distinct().ToArray();
        return new GenerationOptions
        {
            MaxNewTokens = limits.MaxNewTokens,
            MaxPositions = limits.MaxPositions,
            Temperature = Settings.Temperature,
            TopK = Settings.Config.TopK,
            TopP = Settings.Config.TopP,
            EosTokenIds = eos,
            PadTokenId = Tokenizer.PadTokenId ?? (eos.Length > 0 ? eos[0] : 0),
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Precision.Dispose();
    }
}
