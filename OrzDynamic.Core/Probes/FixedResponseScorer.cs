using System.Diagnostics;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Core.Probes;

/// <summary>
/// Scores a fixed set of (prompt, response) pairs teacher-forced under many checkpoints, with no generation:
/// <code>
/// var scorer = new FixedResponseScorer(new ProbeOptions());
/// var run = await scorer.ScoreCheckpointsAsync(checkpoints, items, "probe_out", "mine");
/// run.Records["iter1200"][0].LdMetrics.OutToken …
/// </code>
/// <para>
/// One checkpoint is loaded at a time (memory stays that of one model). Every pair costs one teacher-forced pass per
/// checkpoint, scored alone (batch of one), exactly as the evaluator scores a custom sentence, so a probe equals the
/// custom-sentence score of the same pair bit for bit. Each record is appended to the checkpoint's journal
/// (<c>&lt;output&gt;/&lt;checkpoint&gt;/probes_&lt;set&gt;.jsonl</c>) and flushed before the next pair; a rerun skips what
/// is there, and because pairs are always processed in the given order, an interrupted and resumed journal is
/// byte-identical to an uninterrupted one.
/// </para>
/// </summary>
public sealed class FixedResponseScorer
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Creates a scorer.</summary>
    public FixedResponseScorer(ProbeOptions options, ILoggerFactory? loggerFactory = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ScoringChunkSize, 1, nameof(options));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<FixedResponseScorer>();
    }

    /// <summary>The settings.</summary>
    public ProbeOptions Options { get; }

    /// <summary>
    /// Loads each checkpoint in turn (disposing it before the next) and scores every item under it.
    /// </summary>
    /// <param name="checkpoints">Checkpoints, in the order to score them.</param>
    /// <param name="items">The pairs (keys "source#index" must be unique).</param>
    /// <param name="outputDir">Root directory; journals go to <c>outputDir/&lt;checkpoint name&gt;/</c>.</param>
    /// <param name="setName">Name of the probe set (journal file name).</param>
    /// <param name="progress">Optional progress.</param>
    /// <param name="cancellationToken">Stops after the item being written; the journals stay valid.</param>
    /// <exception cref="ProbeInputException">Duplicate keys, or a response token outside a model's vocabulary.</exception>
    /// <exception cref="Results.ResultsFileException">A journal is unreadable or holds other items under the same keys.</exception>
    public Task<ProbeRunResult> ScoreCheckpointsAsync(IReadOnlyList<ProbeCheckpoint> checkpoints, IReadOnlyList<ProbeItem> items,
        string outputDir, string setName, IProgress<ProbeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentException.ThrowIfNullOrEmpty(outputDir);
        ArgumentException.ThrowIfNullOrEmpty(setName);
        if (checkpoints.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != checkpoints.Count)
            throw new ProbeInputException("Checkpoint names must be unique: " + string.Join(", ", checkpoints.Select(c => c.Name)));
        CheckKeys(items);
        return Task.Run(() =>
        {
            var records = new Dictionary<string, IReadOnlyList<ProbeRecord>>(StringComparer.Ordinal);
            foreach (var checkpoint in checkpoints)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var tokenizer = HfTokenizer.FromDirectory(Options.TokenizerPath ?? checkpoint.ModelPath, _loggerFactory.CreateLogger<HfTokenizer>());
                using var model = CheckpointLoader.Load(checkpoint.ModelPath, new ModelLoadOptions
                {
                    Device = Options.Device,
                    DType = Options.DType,
                }, _loggerFactory.CreateLogger("OrzDynamic.Core.Loading"));
                var journal = Path.Combine(outputDir, checkpoint.Name, OutputLayout.ProbeJournal(setName));
                records[checkpoint.Name] = ScoreCheckpoint(model, tokenizer, checkpoint.Name, items, journal, progress, cancellationToken);
            }
            return new ProbeRunResult(checkpoints, records);
        }, cancellationToken);
    }

    /// <summary>
    /// Scores every item under an already loaded model, appending to (and resuming from) <paramref name="journalPath"/>.
    /// </summary>
    /// <returns>The records of <paramref name="items"/>, in item order.</returns>
    /// <exception cref="ProbeInputException">Duplicate keys, or a response token outside the model's vocabulary.</exception>
    /// <exception cref="Results.ResultsFileException">The journal is unreadable or holds other items under the same keys.</exception>
    public IReadOnlyList<ProbeRecord> ScoreCheckpoint(CausalLM model, HfTokenizer tokenizer, string checkpoint, IReadOnlyList<ProbeItem> items,
        string journalPath, IProgress<ProbeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(items);
        CheckKeys(items);
        using var journal = JsonlJournal<string, ProbeRecord>.Open(journalPath, ProbeRecord.JournalFormat, _logger);
        var fingerprints = items.Select(ProbeFingerprint.Of).ToArray();
        for (int i = 0; i < items.Count; i++)
        {
            if (journal.Find(items[i].Key) is { } old && old.Fingerprint != fingerprints[i])
                throw new Results.ResultsFileException(journalPath, null,
                    $"probe {items[i].Key} was scored for a different prompt or response (field 'fingerprint' {old.Fingerprint}, now {fingerprints[i]}); " +
                    "the probe items changed since this journal was written. Delete the file or use another output directory.");
        }
        var scoringDType = Options.ScoringDType ?? Precision.PrecisionDefaults.Scoring(model.Device);
        var scorer = new ResponseScorer(model, tokenizer, new EvaluatorConfig
        {
            LegacyOrzClamps = Options.LegacyOrzClamps,
            ScoringChunkSize = Options.ScoringChunkSize,
        }, scoringDType);
        int done = items.Count(it => journal.Find(it.Key) is not null);
        if (done > 0 && done < items.Count)
            _logger.LogInformation("{Checkpoint}: resuming probes, {Done} of {Total} already in {Journal}", checkpoint, done, items.Count, journalPath);
        progress?.Report(new ProbeProgress(checkpoint, done, items.Count));
        var sw = Stopwatch.StartNew();
        int scoredNow = 0;
        var result = new ProbeRecord[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            if (journal.Find(items[i].Key) is { } existing)
            {
                result[i] = existing;
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            result[i] = ScoreOne(scorer, model, tokenizer, checkpoint, items[i], fingerprints[i], journalPath, cancellationToken);
            journal.Append(result[i]);
            scoredNow++;
            progress?.Report(new ProbeProgress(checkpoint, ++done, items.Count));
        }
        if (scoredNow > 0)
            _logger.LogInformation("{Checkpoint}: scored {Count} probe(s) in {Seconds:0.00} s → {Journal}", checkpoint, scoredNow, sw.Elapsed.TotalSeconds, journalPath);
        return result;
    }

    /// <summary>The records of a probe journal written by <see cref="ScoreCheckpoint"/>, in file (= item) order; empty when it does not exist.</summary>
    /// <exception cref="Results.ResultsFileException">A complete line is not a valid probe record.</exception>
    internal static IReadOnlyList<ProbeRecord> ReadJournal(string journalPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(journalPath);
        return JsonlJournal<string, ProbeRecord>.Read(journalPath, ProbeRecord.JournalFormat);
    }

    private static void CheckKeys(IReadOnlyList<ProbeItem> items)
    {
        var dup = items.GroupBy(i => i.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ProbeInputException($"Probe item key '{dup.Key}' occurs {dup.Count()} times; keys (source#index) must be unique.");
        var empty = items.FirstOrDefault(i => i.ResponseTokenIds is null && string.IsNullOrEmpty(i.ResponseText));
        if (empty is not null) throw new ProbeInputException($"Probe item {empty.Key}: field 'response' is empty (give token ids or text).");
    }

    private ProbeRecord ScoreOne(ResponseScorer scorer, CausalLM model, HfTokenizer tokenizer, string checkpoint, ProbeItem item,
        string fingerprint, string journalPath, CancellationToken ct)
    {
        var prompt = tokenizer.Encode(item.Prompt);
        var response = item.ResponseTokenIds ?? tokenizer.Encode(item.ResponseText!);
        long vocab = model.Config.VocabSize;
        if (response.Any(t => t < 0 || t >= vocab))
            throw new ProbeInputException($"Probe {item.Key} (journal {journalPath}): field 'token_ids' holds token {response.First(t => t < 0 || t >= vocab)} outside the vocabulary of checkpoint '{checkpoint}' ({vocab} tokens); the reference answers were tokenized with another tokenizer.");
        var scored = scorer.Score([(prompt, response)], ct)[0];
        var metrics = LdMetrics.From(scored.Metrics);
        if (metrics.InvalidReason is { } invalid)
            _logger.LogWarning("{Checkpoint}: probe {Key} kept out of the means: {Reason}", checkpoint, item.Key, invalid);
        return ProbeRecord.Of(item, checkpoint) with
        {
            Fingerprint = fingerprint,
            LdMetrics = metrics,
            TokenIds = response,
            LogProbs = scored.Traces.Where(t => t.IsValid).Select(t => t.LogProbLabel).ToArray(),
        };
    }
}
