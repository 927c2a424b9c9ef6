using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Models;
using TorchSharp;
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
public sealed class ContinuousBatchGenerator
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
    /// <exception cref="ArgumentException">An empty prompt or an id outside the vocabulary (thrown at once).</exception>
    public IEnumerable<(int Index, GenerationResult Result)> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TextGenerator.ValidatePrompts(requests, _model.Config.VocabSize);
        return requests.Count == 0 ? [] : Run(requests, options, decode, progress, cancellationToken);
    }

    private sealed class Row(int request, GenerationRequest source, torch.Generator generator, int limit)
    {
        public int Request { get; } = request;
        public GenerationRequest Source { get; } = source;
        public torch.Generator Generator { get; } = generator;
        public int Limit { get; } = limit;
        public List<int> Tokens { get; } = [];
        public long Length { get; set; } // real tokens of this row in the cache
        public FinishReason? Finished { get; set; }
        public int MaxPositions { get; init; } = int.MaxValue; // the model's positions: never generate beyond them
    }

    private IEnumerable<(int Index, GenerationResult Result)> Run(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode, IProgress<int>? progress, CancellationToken ct)
    {
        var eos = (options.EosTokenIds ?? _model.Config.EosTokenIds).ToHashSet();
        var sampler = new TokenSampler(options);
        var device = _model.Device;
        var slots = Math.Min(Slots, requests.Count);
        var maxPrompt = requests.Max(r => r.PromptIds.Count);
        int maxPositions = options.MaxPositions ?? _model.Config.MaxPositionEmbeddings;
        foreach (var r in requests)
            if (r.PromptIds.Count >= maxPositions)
                throw new ArgumentException($"A prompt has {r.PromptIds.Count} tokens; the model has {maxPositions} positions, so nothing can be generated.", nameof(requests));
        var maxNew = (int)Math.Min(requests.Max(r => r.EffectiveMaxNewTokens(options)), (long)maxPositions - requests.Min(r => r.PromptIds.Count));
        // Suffix maxima of the prompt lengths: the timeline never gets shorter than the longest prompt still queued.
        var promptMaxFrom = new int[requests.Count + 1];
        for (var i = requests.Count - 1; i >= 0; i--) promptMaxFrom[i] = Math.Max(promptMaxFrom[i + 1], requests[i].PromptIds.Count);

        var sw = Stopwatch.StartNew();
        var cache = _model.CreateCache(slots, maxPrompt + maxNew + CompactionSlack);
        cache.Advance(maxPrompt); // masked placeholder slots, so that any prompt fits right-aligned
        var rows = new Row?[slots];
        var mask = zeros([slots, maxPrompt], ScalarType.Int64, device).DetachFromDisposeScope();
        Tensor? logits = null;
        var next = 0;
        long total = 0, steps = 0, compactions = 0;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var finished = new List<(int, GenerationResult)>();
                // 1. The token of every decoding row, from the last step's logits.
                if (logits is not null)
                {
                    long[] chosen;
                    using (var t = sampler.Next(logits, rows.Select(r => r!.Generator).ToArray())) chosen = t.cpu().data<long>().ToArray();
                    logits.Dispose();
                    logits = null;
                    total += rows.Length;
                    for (var r = 0; r < rows.Length; r++)
                        if (Accept(rows[r]!, (int)chosen[r], eos)) finished.Add(Finish(ref rows[r], decode));
                }
                // 2. Refill free slots from the queue: prefill alone, copy into the slot, draw the first token.
                for (var r = 0; r < rows.Length; r++)
                {
                    while (rows[r] is null && next < requests.Count)
                    {
                        var row = Start(next, requests[next], options, device, maxPositions);
                        next++;
                        var first = Prefill(row, cache, r, mask, sampler);
                        total++;
                        rows[r] = row;
                        if (Accept(row, first, eos)) finished.Add(Finish(ref rows[r], decode));
                    }
                }
                progress?.Report((int)Math.Min(int.MaxValue, total));
                foreach (var f in finished) yield return f;

                // 3. Queue empty: drop the free rows.
                if (rows.Any(r => r is null))
                {
                    var keep = Enumerable.Range(0, rows.Length).Where(r => rows[r] is not null).Select(r => (long)r).ToArray();
                    if (keep.Length == 0) break;
                    cache.KeepRows(keep);
                    using (var idx = tensor(keep, ScalarType.Int64, device))
                    {
                        var kept = mask.index_select(0, idx).DetachFromDisposeScope();
                        mask.Dispose();
                        mask = kept;
                    }
                    rows = keep.Select(r => rows[r]).ToArray();
                }

                // 4. Drop leading slots that every row masks out.
                var live = rows.Max(r => r!.Length);
                var floor = Math.Max(live, promptMaxFrom[next]);
                if (cache.Length - floor >= CompactionSlack || cache.Length + 1 > cache.Capacity)
                {
                    var drop = cache.Length - floor;
                    cache.DropLeadingSlots(drop);
                    var shifted = mask.narrow(1, drop, mask.shape[1] - drop).clone().DetachFromDisposeScope();
                    mask.Dispose();
                    mask = shifted;
                    compactions++;
                }

                // 5. One decoding step for every row.
                var ids = rows.Select(r => (long)r!.Tokens[^1]).ToArray();
                using (var ones1 = ones([rows.Length, 1], ScalarType.Int64, device))
                {
                    var grown = cat([mask, ones1], 1).DetachFromDisposeScope();
                    mask.Dispose();
                    mask = grown;
                }
                using (var stepIds = TextGenerator.OnDevice(tensor(ids, [rows.Length, 1], ScalarType.Int64), device))
                    logits = _model.Forward(stepIds, mask, cache: cache, logits: LogitsMode.LastPosition).Logits!;
                foreach (var r in rows) r!.Length++;
                steps++;
            }
            if (sampler.NonFiniteRows > 0)
                _logger.LogWarning("Non-finite logits (NaN or infinity) in {Rows} row step(s): those tokens were chosen greedily; " +
                    "the affected answers will have non-finite metrics and are counted invalid", sampler.NonFiniteRows);
            LastSteps = steps;
            LastCompactions = compactions;
            _logger.LogDebug("Continuous batching: {Requests} answers, {Tokens} tokens, {Steps} decoding steps at ≤ {Slots} slots, {Compactions} compactions, {Ms:F0} ms",
                requests.Count, total, steps, slots, compactions, sw.Elapsed.TotalMilliseconds);
        }
        finally
        {
            logits?.Dispose();
            mask.Dispose();
            cache.Dispose();
            foreach (var r in rows) r?.Generator.Dispose();
        }
    }

    private static Row Start(int index, GenerationRequest request, GenerationOptions options, Device device, int maxPositions) =>
        new(index, request, new torch.Generator((ulong)request.Seed, device), request.EffectiveMaxNewTokens(options)) { MaxPositions = maxPositions };

    /// <summary>Prefills the row's prompt alone, places its keys/values right-aligned in slot row <paramref name="slot"/>, returns its first token.</summary>
    private int Prefill(Row row, KvCache cache, int slot, Tensor mask, TokenSampler sampler)
    {
        var prompt = row.Source.PromptIds;
        var p = prompt.Count;
        using var scope = NewDisposeScope();
        using var alone = _model.CreateCache(1, p);
        var input = TextGenerator.OnDevice(tensor(prompt.Select(i => (long)i).ToArray(), [1, p], ScalarType.Int64), _model.Device);
        using var result = _model.Forward(input, cache: alone, logits: LogitsMode.LastPosition);
        var at = cache.Length - p;
        cache.CopyRowFrom(alone, 0, slot, at);
        using (no_grad())
        {
            mask[slot].zero_();
            mask[slot].narrow(0, at, p).fill_(1);
        }
        row.Length = p;
        using var chosen = sampler.Next(result.Logits!, [row.Generator]);
        return (int)chosen.cpu().item<long>();
    }

    /// <summary>Records <paramref name="token"/>; true when the row is done.</summary>
    private static bool Accept(Row row, int token, HashSet<int> eos)
    {
        row.Tokens.Add(token);
        if (eos.Contains(token)) row.Finished = FinishReason.EndOfSequence;
        else if (row.Tokens.Count >= row.Limit) row.Finished = FinishReason.MaxNewTokens;
        else if (row.Source.PromptIds.Count + row.Tokens.Count >= row.MaxPositions) row.Finished = FinishReason.ContextLimit;
        return row.Finished is not null;
    }

    private static (int, GenerationResult) Finish(ref Row? slot, Func<IReadOnlyList<int>, string>? decode)
    {
        var row = slot!;
        slot = null;
        row.Generator.Dispose();
        var result = TextGenerator.Collect([row.Source.PromptIds], [row.Tokens], [row.Finished], decode)[0];
        return (row.Request, result);
    }
}
