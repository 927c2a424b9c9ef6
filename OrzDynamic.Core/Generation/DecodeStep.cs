using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Generation;

/// <summary>
/// The decoding step that static batching (<see cref="TextGenerator"/>) and continuous batching
/// (<see cref="ContinuousBatchGenerator"/>) share. The schedulers decide only which <see cref="DecodeRow"/>s are in the
/// step and how the KV cache and the mask's rows are laid out; this type holds the rest of a run: the checks of the
/// requests, the stopping rules (eos ids, caps, the model's positions), the sampler, the attention mask that grows by
/// one column per step, the model call of a step, the one warning about non-finite logits and the run's clock.
/// </summary>
internal sealed class DecodeStep : IDisposable
{
    private readonly CausalLM _model;
    private readonly GenerationOptions _options;
    private readonly HashSet<int> _eos;
    private readonly TokenSampler _sampler;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Tensor _mask;

    /// <summary>Starts a run of <paramref name="model"/> under <paramref name="options"/>; the step owns <paramref name="mask"/>.</summary>
    public DecodeStep(CausalLM model, GenerationOptions options, Tensor mask)
    {
        _model = model;
        _options = options;
        _eos = (options.EosTokenIds ?? model.Config.EosTokenIds).ToHashSet();
        _sampler = new TokenSampler(options);
        _mask = mask.DetachFromDisposeScope();
        MaxPositions = PositionsOf(model, options);
    }

    /// <summary>Positions a prompt and its answer may use (<see cref="GenerationOptions.MaxPositions"/>, else the model's).</summary>
    public int MaxPositions { get; }

    /// <summary>Time since the run started (for the schedulers' timing logs).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Tokens chosen so far, all rows.</summary>
    public long Tokens { get; private set; }

    /// <summary>The attention mask (rows × slots, 1 = a real token); replace it with <see cref="ReplaceMask"/>.</summary>
    public Tensor Mask => _mask;

    /// <summary>The device the model runs on.</summary>
    public Device Device => _model.Device;

    /// <summary>
    /// Checks <paramref name="requests"/> before any work: every prompt non-empty, inside the vocabulary and shorter than
    /// the positions (else nothing can be generated).
    /// </summary>
    /// <exception cref="ArgumentException">The first bad prompt, by index.</exception>
    public static void Validate(IReadOnlyList<GenerationRequest> requests, CausalLM model, GenerationOptions options)
    {
        var vocabSize = model.Config.VocabSize;
        var maxPositions = PositionsOf(model, options);
        for (var i = 0; i < requests.Count; i++)
        {
            var p = requests[i]?.PromptIds;
            if (p is null || p.Count == 0) throw new ArgumentException($"Prompt {i} is empty.", nameof(requests));
            foreach (var id in p)
                if (id < 0 || id >= vocabSize)
                    throw new ArgumentException($"Prompt {i} contains token id {id} outside the vocabulary [0, {vocabSize}).", nameof(requests));
        }
        for (var i = 0; i < requests.Count; i++)
            if (requests[i].PromptIds.Count >= maxPositions)
                throw new ArgumentException($"Prompt {i} has {requests[i].PromptIds.Count} tokens; the model has {maxPositions} positions, so nothing can be generated.", nameof(requests));
    }

    /// <summary>A row for request number <paramref name="index"/>, with its cap and its own generator.</summary>
    public DecodeRow StartRow(int index, GenerationRequest request) =>
        new(index, request, request.EffectiveMaxNewTokens(_options), MaxPositions, _model.Device);

    /// <summary>
    /// Chooses the next token of every row from <paramref name="logits"/> (one row each, in order; each row's own
    /// generator) and records it in the rows still decoding. A row that has stopped keeps its place (its draw is made
    /// and dropped, so the others' draws do not depend on it). Does not dispose <paramref name="logits"/>.
    /// </summary>
    /// <returns>The positions in <paramref name="rows"/> of the rows that stopped with this token.</returns>
    public List<int> Choose(Tensor logits, IReadOnlyList<DecodeRow> rows)
    {
        long[] chosen;
        using (var t = _sampler.Next(logits, rows.Select(r => r.Generator).ToArray())) chosen = t.cpu().data<long>().ToArray();
        var stopped = new List<int>();
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Finished is not null) continue;
            Tokens++;
            if (rows[r].Accept((int)chosen[r], _eos)) stopped.Add(r);
        }
        return stopped;
    }

    /// <summary>
    /// Runs one decoding step: feeds every row's last token (the pad id for a row that has stopped), growing the mask
    /// by one real slot per row, and returns the logits of the new position.
    /// </summary>
    public Tensor Forward(IReadOnlyList<DecodeRow> rows, KvCache cache)
    {
        var ids = rows.Select(r => r.Finished is null ? (long)r.Tokens[^1] : _options.PadTokenId).ToArray();
        using (var ones1 = ones([rows.Count, 1], ScalarType.Int64, _model.Device))
            ReplaceMask(cat([_mask, ones1], 1));
        using var stepIds = OnDevice(tensor(ids, [rows.Count, 1], ScalarType.Int64), _model.Device);
        return _model.Forward(stepIds, _mask, cache: cache, logits: LogitsMode.LastPosition).Logits!;
    }

    /// <summary>Makes <paramref name="mask"/> the step's mask (a new layout of the rows or slots) and disposes the old one.</summary>
    public void ReplaceMask(Tensor mask)
    {
        var kept = mask.DetachFromDisposeScope();
        _mask.Dispose();
        _mask = kept;
    }

    /// <summary>Logs, once per run, how many row steps had non-finite logits (their tokens were chosen greedily).</summary>
    public void ReportNonFinite(ILogger logger)
    {
        if (_sampler.NonFiniteRows > 0)
            logger.LogWarning("Non-finite logits (NaN or infinity) in {Rows} row step(s): those tokens were chosen greedily; " +
                "the affected answers will have non-finite metrics and are counted invalid", _sampler.NonFiniteRows);
    }

    /// <summary>Moves a CPU tensor to <paramref name="device"/> (disposing the CPU copy) or returns it.</summary>
    public static Tensor OnDevice(Tensor cpu, Device device)
    {
        if (device.type == DeviceType.CPU) return cpu;
        var moved = cpu.to(device);
        cpu.Dispose();
        return moved;
    }

    /// <summary>Disposes the mask.</summary>
    public void Dispose() => _mask.Dispose();

    private static int PositionsOf(CausalLM model, GenerationOptions options) => options.MaxPositions ?? model.Config.MaxPositionEmbeddings;
}
