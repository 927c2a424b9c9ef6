using TorchSharp.Modules;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Models;

/// <summary>
/// Decoder-only causal language model (Qwen2 / Llama family) with Hugging Face parameter names
/// (<c>model.embed_tokens.weight</c>, <c>model.layers.N.self_attn.q_proj.weight</c>, …, <c>lm_head.weight</c>).
/// Weights start uninitialised; <see cref="Loading.CheckpointLoader"/> fills them.
/// </summary>
public sealed class CausalLM : nn.Module
{
    private readonly RotaryEmbedding _rope;
    private long? _attentionQueryChunk;

    /// <summary>Creates the model with uninitialised weights of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public CausalLM(ModelConfig config, ScalarType dtype, Device device) : base("CausalLM")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new NotSupportedException($"Model dtype {dtype} is not supported (float32, bfloat16, float16).");
        Config = config;
        DType = dtype;
        Device = device;
        Model = new DecoderModel(config, dtype, device);
        register_module("model", Model);
        if (!config.TieWordEmbeddings)
        {
            LmHead = new LinearProjection("lm_head", config.HiddenSize, config.VocabSize, false, dtype, device);
            register_module("lm_head", LmHead);
        }
        _rope = new RotaryEmbedding(config, device);
        ChainDecodeProducts();
    }

    /// <summary>
    /// Tells each projection which product follows it in a decoding step (q/k/v → o → gate/up → down → the next
    /// layer's q/k/v, the last down → lm_head), so that the decoding-step kernel reads those weights ahead in the gap.
    /// </summary>
    private void ChainDecodeProducts()
    {
        GemvOperand? lmHead = null;
        GemvOperand[] LmHeadOperand()
        {
            var weight = LmHeadWeight;
            if (lmHead is null || !lmHead.Describes(weight, null)) lmHead = GemvOperand.Of(weight, null);
            return [lmHead];
        }
        var layers = Model.Layers;
        for (var l = 0; l < layers.Count; l++)
        {
            var a = layers[l].SelfAttention;
            var m = layers[l].Mlp;
            Func<GemvOperand[]> attention = () => [a.OProj.Operand];
            a.QProj.Next = a.KProj.Next = a.VProj.Next = attention;
            a.OProj.Next = () => [m.GateProj.Operand, m.UpProj.Operand];
            m.GateProj.Next = m.UpProj.Next = () => [m.DownProj.Operand];
            if (l + 1 < layers.Count)
            {
                var n = layers[l + 1].SelfAttention;
                m.DownProj.Next = () => [n.QProj.Operand, n.KProj.Operand, n.VProj.Operand];
            }
            else
            {
                m.DownProj.Next = LmHeadOperand;
            }
        }
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Weight dtype.</summary>
    public ScalarType DType { get; }

    /// <summary>Device holding the weights.</summary>
    public Device Device { get; }

    /// <summary>
    /// When true, <see cref="Forward"/> and <see cref="ComputeLogits"/> record the autograd graph (for training with
    /// parameters that require gradients); default false: inference runs under <c>no_grad</c>.
    /// </summary>
    public bool AutogradEnabled { get; set; }

    /// <summary>
    /// Attention kernel path (default <see cref="Models.AttentionPath.Auto"/>: fused causal kernel when there is no
    /// padding, query-chunked otherwise; memory linear in T). <see cref="Models.AttentionPath.Dense"/> is the quadratic
    /// reference path.
    /// </summary>
    internal AttentionPath AttentionPath { get; set; } = AttentionPath.Auto;

    /// <summary>
    /// Queries per chunk on the chunked attention path; null (default) = as many as keep one chunk's
    /// batch × heads × queries × keys within <see cref="AttentionMask.DefaultChunkElements"/>.
    /// </summary>
    public long? AttentionQueryChunk
    {
        get => _attentionQueryChunk;
        set
        {
            if (value is < 1) throw new ArgumentOutOfRangeException(nameof(value), value, "AttentionQueryChunk must be positive (or null for automatic).");
            _attentionQueryChunk = value;
        }
    }

    /// <summary>The transformer trunk.</summary>
    internal DecoderModel Model { get; }

    /// <summary>Separate output projection, or null when tied to the embedding.</summary>
    internal LinearProjection? LmHead { get; }

    /// <summary>The lm_head weight [vocab, hidden] (the embedding table when tied).</summary>
    public Tensor LmHeadWeight => LmHead is null ? Model.EmbedTokens.Weight : LmHead.Weight;

    /// <summary>
    /// Allocates a KV cache for <paramref name="batchSize"/> rows and <paramref name="capacity"/> positions, in
    /// <paramref name="dtype"/> (default: the weight dtype; it must match the compute dtype of the forward passes).
    /// </summary>
    public KvCache CreateCache(long batchSize, long capacity, ScalarType? dtype = null) => new(Config, batchSize, capacity, dtype ?? DType, Device);

    /// <summary>
    /// Runs the model.
    /// </summary>
    /// <param name="inputIds">Token ids [B, T] (int64).</param>
    /// <param name="attentionMask">Optional [B, S] (1 = token, 0 = padding) over all S = cache length + T slots; left padding expected.</param>
    /// <param name="positions">Optional rotary positions [B, T]; default: from the mask (cumulative count of real tokens − 1), else cache length + 0..T−1.</param>
    /// <param name="cache">Optional KV cache; the new keys/values are appended and its length advanced by T.</param>
    /// <param name="logits">Which positions to project to float32 logits.</param>
    /// <param name="returnHiddenStates">Also return the final-norm hidden states.</param>
    /// <param name="computeDType">
    /// Dtype of the activations (default: the weight dtype). When it differs, every layer converts its weights for the
    /// call only, one layer at a time (no second copy of the model); bfloat16-stored weights run exactly in float32.
    /// </param>
    public ForwardResult Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positions = null, KvCache? cache = null,
        LogitsMode logits = LogitsMode.AllPositions, bool returnHiddenStates = false, ScalarType? computeDType = null)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.dim() != 2) throw new ArgumentException($"inputIds must be [B, T], got [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        using var grad = set_grad_enabled(AutogradEnabled);
        using var scope = NewDisposeScope();
        long b = inputIds.size(0), t = inputIds.size(1);
        var past = cache?.Length ?? 0;
        var s = past + t;
        var ids = inputIds.to(ScalarType.Int64, Device);
        Tensor mask;
        if (attentionMask is not null)
        {
            if (attentionMask.dim() != 2 || attentionMask.size(0) != b || attentionMask.size(1) != s)
                throw new ArgumentException($"attentionMask must be [B={b}, S={s}] (cache length {past} + {t} new), got [{string.Join(", ", attentionMask.shape)}].", nameof(attentionMask));
            mask = attentionMask.to(ScalarType.Bool, Device);
        }
        else
        {
            mask = ones([b, s], ScalarType.Bool, Device);
        }
        Tensor pos;
        if (positions is not null)
        {
            if (positions.dim() != 2 || positions.size(0) != b || positions.size(1) != t)
                throw new ArgumentException($"positions must be [B={b}, T={t}], got [{string.Join(", ", positions.shape)}].", nameof(positions));
            pos = positions.to(ScalarType.Int64, Device);
        }
        else if (attentionMask is not null)
        {
            pos = (mask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0).narrow(1, past, t);
        }
        else
        {
            pos = arange(past, s, ScalarType.Int64, Device).unsqueeze(0).expand(b, t);
        }

        // Padding only matters when some slot is padding: an all-ones mask takes the unpadded (fused causal) path.
        var keyPadding = attentionMask is not null && !mask.all().item<bool>() ? mask : null;
        using var attention = new AttentionMask(b, t, past, keyPadding, AttentionPath, AttentionQueryChunk);

        var dtype = computeDType ?? DType;
        var (cos, sin) = _rope.Compute(pos, dtype);
        var h = Model.EmbedTokens.Forward(ids);
        if (h.dtype != dtype) h = h.to(dtype);
        foreach (var layer in Model.Layers)
        {
            var next = layer.Forward(h, cos, sin, attention, cache);
            h.Dispose();
            h = next;
        }
        cache?.Advance(t);
        h = Model.Norm.Forward(h);

        Tensor? logitsOut = logits switch
        {
            LogitsMode.None => null,
            LogitsMode.LastPosition => ComputeLogits(h.select(1, t - 1)),
            _ => ComputeLogits(h),
        };
        logitsOut?.MoveToOuterDisposeScope();
        if (returnHiddenStates) h.MoveToOuterDisposeScope();
        return new ForwardResult(logitsOut, returnHiddenStates ? h : null);
    }

    /// <summary>
    /// Projects final-norm hidden states [.., hidden] through lm_head to float32 logits [.., vocab], in the dtype of
    /// <paramref name="hidden"/>. <paramref name="lmHeadWeight"/> optionally supplies the lm_head weight already
    /// converted to that dtype (see <see cref="LmHeadWeightIn"/>), so that chunked callers convert it once.
    /// </summary>
    public Tensor ComputeLogits(Tensor hidden, Tensor? lmHeadWeight = null)
    {
        using var grad = set_grad_enabled(AutogradEnabled);
        using var scope = NewDisposeScope();
        var weight = lmHeadWeight ?? LmHeadWeight;
        if (weight.dtype != hidden.dtype) weight = weight.to(hidden.dtype);
        return SmallBatchGemv.Linear(hidden, weight, null).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The lm_head weight in <paramref name="dtype"/>: the parameter itself when the dtypes match (returned as an alias,
    /// so the caller may always dispose the result), else a converted copy of that one matrix.
    /// </summary>
    public Tensor LmHeadWeightIn(ScalarType dtype)
    {
        using var grad = no_grad();
        return LmHeadWeight.dtype == dtype ? LmHeadWeight.alias() : LmHeadWeight.to(dtype);
    }

    /// <summary>Parameter names and tensors, in Hugging Face naming (tied lm_head not listed separately).</summary>
    public IReadOnlyList<(string Name, Parameter Parameter)> NamedWeights() =>
        named_parameters().Select(p => (p.name, p.parameter)).ToList();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _rope.Dispose();
        base.Dispose(disposing);
    }
}
