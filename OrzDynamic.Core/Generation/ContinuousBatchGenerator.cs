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
/// </summary>
internal sealed class ContinuousBatchGenerator
{
    /// <summary>Default of <see cref="CompactionSlack"/>.</summary>
    public const int DefaultCompactionSlack = 256;

    private readonly CausalLM _model;
    private readonly ILogger _logger;

    /// <summary>Creates a generator for <paramref name="model"/> with <paramref name="slots"/> concurrent answers.</summary>
    public ContinuousBatchGenerator(CausalLM model, int slots, ILogger? logger = null, int compactionSlack = DefaultCompactionSlack)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(compactionSlack, 1);
        Slots = slots;
        CompactionSlack = compactionSlack;
        _logger = logger ?? NullLogger.Instance;
    }

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
        long steps = 0, compactions = 0;
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
                        if (Prefill(rows[r]!, cache, r, step)) finished.Add(Finish(ref rows[r], decode));
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
            _logger.LogDebug("Continuous batching: {Requests} answers, {Tokens} tokens, {Steps} decoding steps at ≤ {Slots} slots, {Compactions} compactions, {Ms:F0} ms",
                requests.Count, step.Tokens, steps, slots, compactions, step.Elapsed.TotalMilliseconds);
        }
        finally
        {
            logits?.Dispose();
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
    /// Prefills the row's prompt alone, places its keys/values right-aligned in slot row <paramref name="slot"/> and
    /// chooses its first token; true when the row stops with it.
    /// </summary>
    private bool Prefill(DecodeRow row, KvCache cache, int slot, DecodeStep step)
    {
        var prompt = row.Request.PromptIds;
        var p = prompt.Count;
        using var scope = NewDisposeScope();
        using var alone = _model.CreateCache(1, p);
        var input = DecodeStep.OnDevice(tensor(prompt.Select(i => (long)i).ToArray(), [1, p], ScalarType.Int64), _model.Device);
        using var result = _model.Forward(input, cache: alone, logits: LogitsMode.LastPosition);
        var at = cache.Length - p;
        cache.CopyRowFrom(alone, 0, slot, at);
        using (no_grad())
        {
            step.Mask[slot].zero_();
            step.Mask[slot].narrow(0, at, p).fill_(1);
        }
        return step.Choose(result.Logits!, [row]).Count > 0;
    }

    private static (int, GenerationResult) Finish(ref DecodeRow? slot, Func<IReadOnlyList<int>, string>? decode)
    {
        var row = slot!;
        slot = null;
        row.Dispose();
        return (row.Index, row.Result(decode));
    }
}
