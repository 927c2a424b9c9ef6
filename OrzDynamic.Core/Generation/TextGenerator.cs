using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Models;
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
/// <param name="model">The model to generate with.</param>
/// <param name="logger">Receives the non-finite-logits warning and timing details; null for none.</param>
/// <param name="share">
/// Prefix sharing: a batch with the same prompts as the batch before it starts from a copy of that batch's prefill
/// (bit-identical answers); null runs every prompt pass.
/// </param>
/// <param name="stats">Receives the cost of every prefill; null for none.</param>
internal sealed class TextGenerator(CausalLM model, ILogger? logger = null, StaticPrefillShare? share = null, PrefillStats? stats = null)
{
    /// <summary>Decoding slots allocated in the KV cache up front (beyond the prompt); it doubles when full.</summary>
    public const int InitialDecodeSlots = 512;

    private readonly CausalLM _model = model ?? throw new ArgumentNullException(nameof(model));
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

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
        DecodeStep.Validate(requests, _model, options);
        var device = _model.Device;
        int b = requests.Count, maxPrompt = requests.Max(r => r.PromptIds.Count);
        var (padded, maskData) = LeftPad(requests, maxPrompt, options.PadTokenId);

        using var step = new DecodeStep(_model, options, DecodeStep.OnDevice(tensor(maskData, [b, maxPrompt], ScalarType.Int64), device));
        var rows = requests.Select((r, i) => step.StartRow(i, r)).ToArray();
        Tensor? logits = null;
        try
        {
            // Steps the batch can take: bounded by the rows' caps and by the shortest prompt's remaining positions
            // (longer rows stop earlier). The cache starts with room for a few hundred steps and doubles as needed (no
            // int overflow, no up-front allocation for a huge MaxNewTokens).
            long maxSteps = Math.Min(rows.Max(r => r.Limit), (long)step.MaxPositions - requests.Min(r => r.PromptIds.Count));
            var capacity = maxPrompt + Math.Min(maxSteps, InitialDecodeSlots);
            var copied = share?.TryCopy(requests, options.PadTokenId, capacity);
            using var cache = copied?.Cache ?? _model.CreateCache(b, capacity);
            cache.CapacityLimit = maxPrompt + maxSteps;
            if (copied is not null)
            {
                logits = copied.Logits;
                stats?.AddShared(b, step.Elapsed);
            }
            else
            {
                using (var input = DecodeStep.OnDevice(tensor(padded, [b, maxPrompt], ScalarType.Int64), device))
                    logits = _model.Forward(input, step.Mask, cache: cache, logits: LogitsMode.LastPosition).Logits!;
                share?.Keep(requests, options.PadTokenId, cache, logits);
                stats?.AddComputed(b, (long)b * maxPrompt, step.Elapsed);
            }
            var prefillMs = step.Elapsed.TotalMilliseconds;
            // Every row stays in the step until the last one stops (a stopped row is fed the pad id).
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                step.Choose(logits, rows);
                logits.Dispose();
                logits = null;
                progress?.Report((int)Math.Min(int.MaxValue, step.Tokens));
                if (rows.All(r => r.Finished is not null)) break;
                logits = step.Forward(rows, cache);
            }
            step.ReportNonFinite(_logger);
            _logger.LogDebug("Generated {Tokens} tokens for {Rows} rows (prompt ≤ {Prompt}) in {Ms:F0} ms (prefill {Prefill:F0} ms, {Source})",
                step.Tokens, b, maxPrompt, step.Elapsed.TotalMilliseconds, prefillMs, copied is null ? "computed" : "shared");
            return rows.Select(r => r.Result(decode)).ToArray();
        }
        finally
        {
            logits?.Dispose();
            foreach (var r in rows) r.Dispose();
        }
    }

    /// <summary>The prompts left-padded to <paramref name="width"/> tokens (row-major) and their attention mask (0 = padding).</summary>
    private static (long[] Ids, long[] Mask) LeftPad(IReadOnlyList<GenerationRequest> requests, int width, long padId)
    {
        var ids = new long[requests.Count * width];
        var mask = new long[requests.Count * width];
        for (var r = 0; r < requests.Count; r++)
        {
            var prompt = requests[r].PromptIds;
            var offset = width - prompt.Count;
            for (var j = 0; j < width; j++)
            {
                ids[r * width + j] = j < offset ? padId : prompt[j - offset];
                mask[r * width + j] = j < offset ? 0 : 1;
            }
        }
        return (ids, mask);
    }
}
