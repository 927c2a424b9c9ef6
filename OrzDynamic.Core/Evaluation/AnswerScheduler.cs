using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Models;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Evaluation;

/// <summary>A generated answer, ready to be checked and scored.</summary>
/// <param name="Draw">The prompt and sample number answered.</param>
/// <param name="PromptIds">Its prompt token ids.</param>
/// <param name="Generation">The generated answer.</param>
internal sealed record FinishedAnswer(SampleDraw Draw, IReadOnlyList<int> PromptIds, GenerationResult Generation)
{
    /// <summary>The evaluation sample (the prompt).</summary>
    public EvalSample Sample => Draw.Sample;
}

/// <summary>
/// Generates the answers of the samples not yet in the journal, in the chosen <see cref="GenerationMode"/>, and hands
/// them over in groups as they finish: a static batch's pending answers together, or under continuous batching every
/// answer as soon as it ends. Each draw samples with its own seed (<see cref="SampleDraw.GenerationSeed"/>).
/// <para>
/// Prefix sharing (on unless turned off): the K draws of a prompt share its prefill. In static mode the K batches of a
/// prompt batch have the same prompts, so the prompt pass runs for the first of them and the others start from a copy
/// (<see cref="StaticPrefillShare"/>); in continuous mode a prompt's batch-1 pass is kept until its last draw is
/// admitted (<see cref="PromptPrefillShelf"/>). Either way the answers are bit-identical to a pass per draw.
/// </para>
/// </summary>
internal sealed class AnswerScheduler
{
    private readonly CausalLM _model;
    private readonly GenerationMode _mode;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly bool _sharePrefill;

    /// <summary>Creates a scheduler generating with <paramref name="model"/>.</summary>
    /// <param name="model">The generation model.</param>
    /// <param name="mode">Static or continuous batching.</param>
    /// <param name="batchSize">Draws per static batch, or continuous slots.</param>
    /// <param name="logger">Receives timing details.</param>
    /// <param name="sharePrefill">Whether the draws of a prompt share its prefill (false runs a prompt pass per draw, for comparisons).</param>
    public AnswerScheduler(CausalLM model, GenerationMode mode, int batchSize, ILogger logger, bool sharePrefill = true)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _mode = mode;
        _batchSize = batchSize;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _sharePrefill = sharePrefill;
    }

    /// <summary>The prefill cost of every run so far (prompt passes, shared rows, wall time).</summary>
    public PrefillStats Prefill { get; } = new();

    /// <summary>
    /// Generates the pending draws of <paramref name="batches"/> (those <paramref name="isDone"/> rejects). Static mode
    /// generates the fixed batches as given (so a resumed run regenerates a partly done batch with the same
    /// batch-mates) and yields only the pending answers; continuous mode queues only the pending draws, in batch order.
    /// </summary>
    /// <param name="batches">All draws of the selection, in their fixed generation batches (<see cref="SampleDraw.Batches"/>).</param>
    /// <param name="isDone">Whether a draw is already in the journal.</param>
    /// <param name="encode">Prompt text → token ids.</param>
    /// <param name="runSeed">The run seed.</param>
    /// <param name="options">Decoding settings.</param>
    /// <param name="tokens">Receives the number of tokens generated so far.</param>
    /// <param name="cancellationToken">Checked between decoding steps.</param>
    public IEnumerable<IReadOnlyList<FinishedAnswer>> Run(IReadOnlyList<IReadOnlyList<SampleDraw>> batches, Func<SampleDraw, bool> isDone,
        Func<string, IReadOnlyList<int>> encode, int runSeed, GenerationOptions options, IProgress<long>? tokens = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentNullException.ThrowIfNull(encode);
        if (batches.Any(b => b.Count > _batchSize))
            throw new ArgumentException($"A generation batch holds more than {_batchSize} draws.", nameof(batches));
        return _mode == GenerationMode.Static
            ? RunStatic(batches, isDone, encode, runSeed, options, tokens, cancellationToken)
            : RunContinuous(batches.SelectMany(b => b).ToArray(), isDone, encode, runSeed, options, tokens, cancellationToken);
    }

    private IEnumerable<IReadOnlyList<FinishedAnswer>> RunStatic(IReadOnlyList<IReadOnlyList<SampleDraw>> batches, Func<SampleDraw, bool> isDone,
        Func<string, IReadOnlyList<int>> encode, int runSeed, GenerationOptions options, IProgress<long>? tokens, CancellationToken ct)
    {
        using var share = _sharePrefill ? new StaticPrefillShare() : null;
        var generator = new TextGenerator(_model, _logger, share, Prefill);
        long generated = 0;
        // The K batches of one prompt batch follow each other: their prompts are encoded once, for the first of them,
        // and their prefill is computed once (kept while the next batch to generate has the same prompts).
        var encoded = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        var pending = batches.Select(b => b.ToArray()).Where(b => !b.All(isDone)).ToArray();
        for (var n = 0; n < pending.Length; n++)
        {
            ct.ThrowIfCancellationRequested();
            var batch = pending[n];
            if (share is not null) share.KeepForNext = n + 1 < pending.Length && SamePrompts(batch, pending[n + 1]);
            var previous = encoded;
            encoded = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
            foreach (var d in batch)
                encoded.TryAdd(d.Sample.Prompt, previous.GetValueOrDefault(d.Sample.Prompt) ?? encode(d.Sample.Prompt));
            var prompts = batch.Select(s => encoded[s.Sample.Prompt]).ToArray();
            var requests = batch.Select((s, i) => new GenerationRequest(prompts[i], s.GenerationSeed(runSeed))).ToArray();
            var before = generated;
            var progress = tokens is null ? null : new InlineProgress<int>(n => tokens.Report(before + n));
            var results = generator.Generate(requests, options, null, progress, ct);
            generated += results.Sum(r => r.TokenIds.Count);
            yield return Enumerable.Range(0, batch.Length).Where(i => !isDone(batch[i]))
                .Select(i => new FinishedAnswer(batch[i], prompts[i], results[i])).ToArray();
        }
    }

    /// <summary>Whether two batches hold the same prompt texts in the same order.</summary>
    private static bool SamePrompts(SampleDraw[] a, SampleDraw[] b) =>
        a.Length == b.Length && a.Zip(b).All(p => string.Equals(p.First.Sample.Prompt, p.Second.Sample.Prompt, StringComparison.Ordinal));

    private IEnumerable<IReadOnlyList<FinishedAnswer>> RunContinuous(IReadOnlyList<SampleDraw> draws, Func<SampleDraw, bool> isDone,
        Func<string, IReadOnlyList<int>> encode, int runSeed, GenerationOptions options, IProgress<long>? tokens, CancellationToken ct)
    {
        var pending = draws.Where(s => !isDone(s)).ToArray();
        var encoded = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);   // one encoding per prompt, shared by its draws
        var prompts = pending.Select(s => encoded.TryGetValue(s.Sample.Prompt, out var ids) ? ids : encoded[s.Sample.Prompt] = encode(s.Sample.Prompt)).ToArray();
        var requests = pending.Select((s, i) => new GenerationRequest(prompts[i], s.GenerationSeed(runSeed))).ToArray();
        var progress = tokens is null ? null : new InlineProgress<int>(n => tokens.Report(n));
        foreach (var (index, result) in new ContinuousBatchGenerator(_model, _batchSize, _logger, sharePrefill: _sharePrefill, stats: Prefill).Generate(requests, options, null, progress, ct))
            yield return [new FinishedAnswer(pending[index], prompts[index], result)];
    }
}
