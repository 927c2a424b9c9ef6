using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// Batched autoregressive generation with a KV cache: prompts are left-padded into one batch (attention mask and
/// per-row positions), prefilled in one pass, then decoded one token per step; each row stops on any eos id or at
/// <see cref="GenerationOptions.MaxNewTokens"/>, or when it reaches the model's position limit
/// (<see cref="GenerationOptions.MaxPositions"/>; never extrapolated). Sampling uses a seeded generator, so runs are
/// reproducible. The KV cache starts small and grows with the longest row, so a huge MaxNewTokens costs nothing up
/// front; rows whose logits turn non-finite get the greedy choice, with a warning (see <see cref="TokenSampler"/>).
/// </summary>
public sealed class TextGenerator
{
    /// <summary>Decoding slots allocated in the KV cache up front (beyond the prompt); it doubles when full.</summary>
    public const int InitialDecodeSlots = 512;

    private readonly CausalLM _model;
    private readonly ILogger _logger;

    /// <summary>Creates a generator for <paramref name="model"/>.</summary>
    public TextGenerator(CausalLM model, ILogger? logger = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Generates for every prompt on a worker thread. See <see cref="Generate(IReadOnlyList{IReadOnlyList{int}}, GenerationOptions, Func{IReadOnlyList{int}, string}?, IProgress{int}?, CancellationToken)"/>.</summary>
    public Task<IReadOnlyList<GenerationResult>> GenerateAsync(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Generate(prompts, options, decode, progress, cancellationToken), cancellationToken);

    /// <summary>
    /// Generates continuations of <paramref name="prompts"/> (token ids, all non-empty) as one batch; row r samples
    /// with its own generator seeded from <see cref="GenerationOptions.Seed"/> and r (see <see cref="GenerationRequest.RowSeed"/>).
    /// </summary>
    /// <param name="prompts">Prompt token ids per row.</param>
    /// <param name="options">Decoding settings.</param>
    /// <param name="decode">Optional detokenizer for <see cref="GenerationResult.Text"/>.</param>
    /// <param name="progress">Receives the total number of tokens generated so far (all rows).</param>
    /// <param name="cancellationToken">Checked before every decoding step.</param>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        var seed = options.Seed ?? 0;
        return Generate(prompts.Select((p, r) => new GenerationRequest(p, GenerationRequest.RowSeed(seed, r))).ToArray(),
            options, decode, progress, cancellationToken);
    }

    /// <summary>
    /// Generates every request as one static batch (left-padded, run until its last row finishes); each row samples
    /// with its own generator (<see cref="GenerationRequest.Seed"/>) and stops at its own cap.
    /// </summary>
    /// <param name="requests">Prompts, seeds and optional per-row caps.</param>
    /// <param name="options">Decoding settings (<see cref="GenerationOptions.Seed"/> is not used).</param>
    /// <param name="decode">Optional detokenizer for <see cref="GenerationResult.Text"/>.</param>
    /// <param name="progress">Receives the total number of tokens generated so far (all rows).</param>
    /// <param name="cancellationToken">Checked before every decoding step.</param>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, GenerationOptions options,
        Func<IReadOnlyList<int>, string>? decode = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (requests.Count == 0) return [];
        ValidatePrompts(requests, _model.Config.VocabSize);
        var prompts = requests.Select(r => r.PromptIds).ToArray();
        var limits = requests.Select(r => r.EffectiveMaxNewTokens(options)).ToArray();

        int maxPositions = options.MaxPositions ?? _model.Config.MaxPositionEmbeddings;
        for (var i = 0; i < prompts.Length; i++)
            if (prompts[i].Count >= maxPositions)
                throw new ArgumentException($"Prompt {i} has {prompts[i].Count} tokens; the model has {maxPositions} positions, so nothing can be generated.", nameof(prompts));

        var eos = (options.EosTokenIds ?? _model.Config.EosTokenIds).ToHashSet();
        var sampler = new TokenSampler(options);
        var device = _model.Device;
        var generators = requests.Select(r => new torch.Generator((ulong)r.Seed, device)).ToArray();
        int b = prompts.Length, maxPrompt = prompts.Max(p => p.Count);
        var sw = Stopwatch.StartNew();

        var padded = new long[b * maxPrompt];
        var maskData = new long[b * maxPrompt];
        for (var r = 0; r < b; r++)
        {
            var offset = maxPrompt - prompts[r].Count;
            for (var j = 0; j < maxPrompt; j++)
            {
                padded[r * maxPrompt + j] = j < offset ? options.PadTokenId : prompts[r][j - offset];
                maskData[r * maxPrompt + j] = j < offset ? 0 : 1;
            }
        }

        var generated = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var reasons = new FinishReason?[b];
        // Steps the batch can take: bounded by the rows' caps and by the shortest prompt's remaining positions (longer
        // rows stop earlier). The cache starts with room for a few hundred steps and doubles as needed (no int overflow,
        // no up-front allocation for a huge MaxNewTokens).
        long maxSteps = Math.Min(limits.Max(), (long)maxPositions - prompts.Min(p => p.Count));
        using var cache = _model.CreateCache(b, maxPrompt + Math.Min(maxSteps, InitialDecodeSlots));
        cache.CapacityLimit = maxPrompt + maxSteps;
        var mask = OnDevice(tensor(maskData, [b, maxPrompt], ScalarType.Int64), device).DetachFromDisposeScope();
        try
        {
            Tensor logits;
            using (var input = OnDevice(tensor(padded, [b, maxPrompt], ScalarType.Int64), device))
                logits = _model.Forward(input, mask, cache: cache, logits: LogitsMode.LastPosition).Logits!;
            var prefillMs = sw.Elapsed.TotalMilliseconds;
            var total = 0;
            for (var step = 0; ; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long[] next;
                using (var chosen = sampler.Next(logits, generators)) next = chosen.cpu().data<long>().ToArray();
                logits.Dispose();
                for (var r = 0; r < b; r++)
                {
                    if (reasons[r] is not null)
                    {
                        next[r] = options.PadTokenId;
                        continue;
                    }
                    generated[r].Add((int)next[r]);
                    total++;
                    if (eos.Contains((int)next[r])) reasons[r] = FinishReason.EndOfSequence;
                    else if (generated[r].Count >= limits[r]) reasons[r] = FinishReason.MaxNewTokens;
                    else if (prompts[r].Count + generated[r].Count >= maxPositions) reasons[r] = FinishReason.ContextLimit;
                }
                progress?.Report(total);
                if (reasons.All(x => x is not null)) break;
                using var ones1 = ones([b, 1], ScalarType.Int64, device);
                var grown = cat([mask, ones1], 1).DetachFromDisposeScope();
                mask.Dispose();
                mask = grown;
                using var stepIds = OnDevice(tensor(next, [b, 1], ScalarType.Int64), device);
                logits = _model.Forward(stepIds, mask, cache: cache, logits: LogitsMode.LastPosition).Logits!;
            }
            if (sampler.NonFiniteRows > 0)
                _logger.LogWarning("Non-finite logits (NaN or infinity) in {Rows} row step(s) of this batch: those tokens were chosen greedily; " +
                    "the affected answers will have non-finite metrics and are counted invalid", sampler.NonFiniteRows);
            _logger.LogDebug("Generated {Tokens} tokens for {Rows} rows (prompt ≤ {Prompt}) in {Ms:F0} ms (prefill {Prefill:F0} ms)",
                total, b, maxPrompt, sw.Elapsed.TotalMilliseconds, prefillMs);
        }
        finally
        {
            mask.Dispose();
            foreach (var g in generators) g.Dispose();
        }

        return Collect(prompts, generated, reasons, decode);
    }

    /// <summary>Checks that every prompt is non-empty and inside the vocabulary.</summary>
    /// <exception cref="ArgumentException">An empty prompt or an id outside [0, vocab).</exception>
    internal static void ValidatePrompts(IReadOnlyList<GenerationRequest> requests, long vocabSize)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            var p = requests[i]?.PromptIds;
            if (p is null || p.Count == 0) throw new ArgumentException($"Prompt {i} is empty.", nameof(requests));
            foreach (var id in p)
                if (id < 0 || id >= vocabSize)
                    throw new ArgumentException($"Prompt {i} contains token id {id} outside the vocabulary [0, {vocabSize}).", nameof(requests));
        }
    }

    internal static Tensor OnDevice(Tensor cpu, Device device)
    {
        if (device.type == DeviceType.CPU) return cpu;
        var moved = cpu.to(device);
        cpu.Dispose();
        return moved;
    }

    internal static GenerationResult[] Collect(IReadOnlyList<IReadOnlyList<int>> prompts, List<int>[] generated, FinishReason?[] reasons,
        Func<IReadOnlyList<int>, string>? decode)
    {
        return Enumerable.Range(0, prompts.Count).Select(r =>
        {
            var ids = generated[r];
            var reason = reasons[r]!.Value;
            string? text = null;
            if (decode is not null)
                text = decode(reason == FinishReason.EndOfSequence ? ids.Take(ids.Count - 1).ToList() : ids);
            return new GenerationResult(ids.ToArray(), reason, prompts[r].Count, text);
        }).ToArray();
    }
}
