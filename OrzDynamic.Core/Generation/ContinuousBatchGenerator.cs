using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// Continuous batching: up to <see cref="Slots"/> answers decode together, and a slot freed by a finished answer (eos or
/// its cap) is refilled from the queue at once, so no slot idles while the longest answer of a batch finishes.
/// <para>
/// Layout: one KV cache of <see cref="Slots"/> rows is allocated up front with room for the longest prompt and answer
/// plus <see cref="CompactionSlack"/> slots. All rows share one slot timeline; each row's tokens are its last
/// <c>n</c> filled slots (everything before is masked out). A new prompt is prefilled alone (batch 1, no padding) and its
/// keys/values copied into its row so that they end at the current length; rotary positions follow the mask, so they
/// start at 0 for every answer. Slots that every row masks out are dropped from the front once there are
/// <see cref="CompactionSlack"/> of them, so the cache never grows; rows are dropped when the queue is empty.
/// </para>
/// <para>
/// Each answer samples with its own generator (<see cref="GenerationRequest.Seed"/>), so an answer depends on its
/// batch-mates only through float rounding (different batch shapes may round differently); it is not bit-exact across
/// different schedules. The static mode (<see cref="TextGenerator"/> with a fixed partition) is.
/// </para>
/// <para>
/// Prefix sharing (<see cref="SharePrefill"/>): requests with the same prompt ids (the samples of one prompt) take one
/// batch-1 prefill, kept from the first of them until the last is admitted (see <see cref="PromptPrefillShelf"/> for the
/// memory it holds); the answers are bit-identical to those with a pass per request.
/// </para>
/// </summary>
internal sealed class ContinuousBatchGenerator
{
    /// <summary>Default of <see cref="CompactionSlack"/>.</summary>
    public const int DefaultCompactionSlack = 256;

    private readonly CausalLM _model;
    private readonly ILogger _logger;
    private readonly PrefillStats? _stats;

    /// <summary>Creates a generator for <paramref name="model"/> with <paramref name="slots"/> concurrent answers.</summary>
    /// <param name="model">The model to generate with.</param>
    /// <param name="slots">Answers decoded concurrently.</param>
    /// <param name="logger">Receives the non-finite-logits warning and timing details; null for none.</param>
    /// <param name="compactionSlack">See <see cref="CompactionSlack"/>.</param>
    /// <param name="sharePrefill">See <see cref="SharePrefill"/>.</param>
    /// <param name="stats">Receives the cost of every prefill; null for none.</param>
    public ContinuousBatchGenerator(CausalLM model, int slots, ILogger? logger = null, int compactionSlack = DefaultCompactionSlack,
        bool sharePrefill = true, PrefillStats? stats = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(compactionSlack, 1);
        Slots = slots;
        CompactionSlack = compactionSlack;
        _logger = logger ?? NullLogger.Instance;
        SharePrefill = sharePrefill;
        _stats = stats;
    }

    /// <summary>Whether requests with the same prompt ids share one prefill (on by default; off runs a pass per request).</summary>
    public bool SharePrefill { get; }

    /// <summary>Answers decoded concurrently.</summary>
    public int Slots { get; }

    /// <summary>Masked-out leading slots tolerated before they are dropped (and the cache headroom reserved for them).</summary>
    public int CompactionSlack { get; }

    /// <summary>Decoding steps of the last completed <c>Generate</c> run (for tests and benchmarks).</summary>
    public long LastSteps { get; private set; }

    /// <summary>Slot compactions of the last completed <c>Generate</c> run.</summary>
    public long LastCompactions { get; private set; }

    /// <summary>
    /// Generates every request, yielding each answer (with its index in <paramref name="requests"/>) as soon as it
    /// finishes; requests are started in order. Nothing is computed until the sequence is enumerated; the consumer may
    /// do other work (e.g. score the answer) between items.
    /// </summary>
    /// <param name="requests">Prompts, seeds and optional per-answer caps.</param>
    /// <param name="options">Decoding settings (<see cref="GenerationOptions.Seed"/> is not used).</param>
    /// <param name="decode">Optional detokenizer for <see cref="GenerationResult.Text"/>.</param>
    /// <param name="progress">Receives the total number of tokens generated so far.</param>
    /// <param name="cancellationToken">Checked before every decoding step.</param>
    /// <exception cref="ArgumentException">An empty prompt, an id outside the vocabulary or a prompt that fills the
    /// model's positions (thrown at once).</exception>
    public IEnumerable<(int Index, GenerationResult Result)> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        DecodeStep.Validate(requests, _model, options);
        return requests.Count == 0 ? [] : Run(requests, options, decode, progress, cancellationToken);
    }

    private IEnumerable<(int Index, GenerationResult Result)> Run(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode, IProgress<int>? progress, CancellationToken ct)
    {
        var device = _model.Device;
        var slots = Math.Min(Slots, requests.Count);
        var maxPrompt = requests.Max(r => r.PromptIds.Count);
        using var step = new DecodeStep(_model, options, zeros([slots, maxPrompt], ScalarType.Int64, device));
        var maxNew = (int)Math.Min(requests.Max(r => r.EffectiveMaxNewTokens(options)), (long)step.MaxPositions - requests.Min(r => r.PromptIds.Count));
        // Suffix maxima of the prompt lengths: the timeline never gets shorter than the longest prompt still queued.
        var promptMaxFrom = new int[requests.Count + 1];
        for (var i = requests.Count - 1; i >= 0; i--) promptMaxFrom[i] = Math.Max(promptMaxFrom[i + 1], requests[i].PromptIds.Count);

        var cache = _model.CreateCache(slots, maxPrompt + maxNew + CompactionSlack);
        cache.Advance(maxPrompt); // masked placeholder slots, so that any prompt fits right-aligned
        var rows = new DecodeRow?[slots];
        Tensor? logits = null;
        var next = 0;
        long steps = 0, compactions = 0, prefills = 0;
        var shelf = new PromptPrefillShelf(requests.Select(r => r.PromptIds), SharePrefill);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var finished = new List<(int, GenerationResult)>();
                // 1. The token of every decoding row, from the last step's logits.
                if (logits is not null)
                {
                    foreach (var r in step.Choose(logits, Live(rows))) finished.Add(Finish(ref rows[r], decode));
                    logits.Dispose();
                    logits = null;
                }
                // 2. Refill free slots from the queue: prefill alone, copy into the slot, draw the first token.
                for (var r = 0; r < rows.Length; r++)
                {
                    while (rows[r] is null && next < requests.Count)
                    {
                        rows[r] = step.StartRow(next, requests[next]);
                        next++;
                        if (Prefill(rows[r]!, cache, r, step, shelf, ref prefills)) finished.Add(Finish(ref rows[r], decode));
                    }
                }
                progress?.Report((int)Math.Min(int.MaxValue, step.Tokens));
                foreach (var f in finished) yield return f;

                // 3. Queue empty: drop the free rows.
                if (rows.Any(r => r is null))
                {
                    var keep = Enumerable.Range(0, rows.Length).Where(r => rows[r] is not null).Select(r => (long)r).ToArray();
                    if (keep.Length == 0) break;
                    cache.KeepRows(keep);
                    using (var idx = tensor(keep, ScalarType.Int64, device))
                        step.ReplaceMask(step.Mask.index_select(0, idx));
                    rows = keep.Select(r => rows[r]).ToArray();
                }

                // 4. Drop leading slots that every row masks out.
                var live = rows.Max(r => CachedLength(r!));
                var floor = Math.Max(live, promptMaxFrom[next]);
                if (cache.Length - floor >= CompactionSlack || cache.Length + 1 > cache.Capacity)
                {
                    var drop = cache.Length - floor;
                    cache.DropLeadingSlots(drop);
                    step.ReplaceMask(step.Mask.narrow(1, drop, step.Mask.shape[1] - drop).clone());
                    compactions++;
                }

                // 5. One decoding step for every row.
                logits = step.Forward(Live(rows), cache);
                steps++;
            }
            step.ReportNonFinite(_logger);
            LastSteps = steps;
            LastCompactions = compactions;
            _logger.LogDebug("Continuous batching: {Requests} answers, {Prefills} prompt passes, {Tokens} tokens, {Steps} decoding steps at ≤ {Slots} slots, {Compactions} compactions, {Ms:F0} ms",
                requests.Count, prefills, step.Tokens, steps, slots, compactions, step.Elapsed.TotalMilliseconds);
        }
        finally
        {
            logits?.Dispose();
            shelf.Dispose();
            cache.Dispose();
            foreach (var r in rows) r?.Dispose();
        }
    }

    /// <summary>The rows of a step in which every slot is taken (free slots are refilled or dropped first).</summary>
    private static DecodeRow[] Live(DecodeRow?[] rows) => Array.ConvertAll(rows, r => r ?? throw new InvalidOperationException("A free slot in the decoding step."));

    /// <summary>
    /// Real tokens of <paramref name="row"/> in the cache between two steps: its prompt and every chosen token but the
    /// last, which the next step feeds.
    /// </summary>
    private static long CachedLength(DecodeRow row) => row.Request.PromptIds.Count + row.Tokens.Count - 1;

    /// <summary>
    /// Places the prefill of the row's prompt (computed alone, or shared from the shelf) right-aligned in slot row
    /// <paramref name="slot"/> and chooses its first token; true when the row stops with it.
    /// </summary>
    private bool Prefill(DecodeRow row, KvCache cache, int slot, DecodeStep step, PromptPrefillShelf shelf, ref long prefills)
    {
        var prompt = row.Request.PromptIds;
        var p = prompt.Count;
        var clock = Stopwatch.StartNew();
        var prefill = shelf.Take(prompt, () => PrefillAlone(prompt), out var computed, out var owned);
        try
        {
            var at = cache.Length - p;
            cache.CopyRowFrom(prefill.Cache, 0, slot, at);
            using (no_grad())
            {
                step.Mask[slot].zero_();
                step.Mask[slot].narrow(0, at, p).fill_(1);
            }
            if (computed)
            {
                prefills++;
                _stats?.AddComputed(1, p, clock.Elapsed);
            }
            else
            {
                _stats?.AddShared(1, clock.Elapsed);
            }
            return step.Choose(prefill.Logits, [row]).Count > 0;
        }
        finally
        {
            if (owned) prefill.Dispose();
        }
    }

    /// <summary>The prompt's pass at batch 1 (no padding) into a cache of exactly its length.</summary>
    private PromptPrefill PrefillAlone(IReadOnlyList<int> prompt)
    {
        var p = prompt.Count;
        using var scope = NewDisposeScope();
        var alone = _model.CreateCache(1, p);
        try
        {
            var input = DecodeStep.OnDevice(tensor(prompt.Select(i => (long)i).ToArray(), [1, p], ScalarType.Int64), _model.Device);
            var result = _model.Forward(input, cache: alone, logits: LogitsMode.LastPosition);
            return new PromptPrefill(alone, result.Logits!.DetachFromDisposeScope());
        }
        catch
        {
            alone.Dispose();
            throw;
        }
    }

    private static (int, GenerationResult) Finish(ref DecodeRow? slot, Func<IReadOnlyList<int>, string>? decode)
    {
        var row = slot!;
        slot = null;
        row.Dispose();
        return (row.Index, row.Result(decode));
    }
}
