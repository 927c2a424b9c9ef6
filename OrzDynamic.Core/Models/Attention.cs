using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Models;

/// <summary>
/// Grouped-query self-attention with rotary embeddings (and Qwen3's per-head q/k RMSNorms before the rotation),
/// computed by <c>scaled_dot_product_attention</c>.
/// </summary>
internal sealed class Attention : nn.Module
{
    private readonly ModelConfig _config;

    /// <summary>Creates the layer with uninitialised weights.</summary>
    public Attention(ModelConfig config, ScalarType dtype, Device device) : base("self_attn")
    {
        _config = config;
        long h = config.HiddenSize, q = (long)config.NumAttentionHeads * config.HeadDim, kv = (long)config.NumKeyValueHeads * config.HeadDim;
        QProj = new LinearProjection("q_proj", h, q, config.QkvBias, dtype, device);
        KProj = new LinearProjection("k_proj", h, kv, config.QkvBias, dtype, device);
        VProj = new LinearProjection("v_proj", h, kv, config.QkvBias, dtype, device);
        OProj = new LinearProjection("o_proj", q, h, config.OutputBias, dtype, device);
        register_module("q_proj", QProj);
        register_module("k_proj", KProj);
        register_module("v_proj", VProj);
        register_module("o_proj", OProj);
        if (config.QkNorm)
        {
            QNorm = new RmsNorm("q_norm", config.HeadDim, config.RmsNormEps, dtype, device);
            KNorm = new RmsNorm("k_norm", config.HeadDim, config.RmsNormEps, dtype, device);
            register_module("q_norm", QNorm);
            register_module("k_norm", KNorm);
        }
    }

    /// <summary>Query projection.</summary>
    public LinearProjection QProj { get; }

    /// <summary>Key projection.</summary>
    public LinearProjection KProj { get; }

    /// <summary>Value projection.</summary>
    public LinearProjection VProj { get; }

    /// <summary>Output projection.</summary>
    public LinearProjection OProj { get; }

    /// <summary>Per-head RMSNorm of the queries (over head_dim), or null (<see cref="ModelConfig.QkNorm"/>).</summary>
    public RmsNorm? QNorm { get; }

    /// <summary>Per-head RMSNorm of the keys (over head_dim), or null (<see cref="ModelConfig.QkNorm"/>).</summary>
    public RmsNorm? KNorm { get; }

    /// <summary>The head norms as the fused decoding step takes them, or null without them.</summary>
    internal DecodeAttention.HeadNorms? DecodeHeadNorms
    {
        get
        {
            if (QNorm is null || KNorm is null) return null;
            var (q, k) = (QNorm.DecodeScale, KNorm.DecodeScale);
            return _headNorms is { } cached && ReferenceEquals(cached.Query, q) && ReferenceEquals(cached.Key, k)
                ? cached : _headNorms = new DecodeAttention.HeadNorms(q, k, QNorm.Eps);
        }
    }

    private DecodeAttention.HeadNorms? _headNorms;

    /// <summary>Repeats a [B, 1, T, S] mask to the [B, 1, G·T, S] layout of the grouped queries (once per forward pass).</summary>
    public static Tensor GroupMask(Tensor mask, int groupSize) => groupSize == 1 ? mask.alias() : mask.repeat(1, 1, groupSize, 1);

    /// <summary>
    /// x [B, T, hidden] → [B, T, hidden] with a dense mask (the <see cref="AttentionPath.Dense"/> path).
    /// <paramref name="mask"/> is a boolean [B, 1, G·T, S] (true = may attend) over the
    /// S key slots (cache slots followed by the T new ones), already repeated for the G = heads / kv-heads query heads
    /// that share a key/value head (see <see cref="GroupMask"/>). When <paramref name="cache"/> is given, the new keys and
    /// values are appended to layer <paramref name="layerIndex"/> of it. Memory is quadratic in T: prefer the
    /// <see cref="AttentionMask"/> overload.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache, int layerIndex)
    {
        using var scope = NewDisposeScope();
        var (q, k, v) = Project(x, cos, sin, cache, layerIndex);
        var o = AttentionKernels.Grouped(q, k, v, mask, _config.GroupSize);
        return Output(o).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// x [B, T, hidden] → [B, T, hidden], attending as described by <paramref name="mask"/> along the path it resolves to
    /// (<see cref="AttentionMask.ResolvedPath"/>); no path other than <see cref="AttentionPath.Dense"/> holds a
    /// [heads, T, S] or [T, S] tensor. When <paramref name="cache"/> is given, the new keys and values are appended to
    /// layer <paramref name="layerIndex"/> of it. A decoding step with a cache (one new query per row, any path but
    /// <see cref="AttentionPath.Dense"/>) runs on <see cref="DecodeAttention.Step"/> between the projections.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, AttentionMask mask, KvCache? cache, int layerIndex)
    {
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var projections = LinearProjection.ForwardMany(x, QProj, KProj, VProj);
        if (cache is not null && mask.QueryLength == 1 && mask.Path != AttentionPath.Dense && x.size(0) == cache.BatchSize)
        {
            var (keys, values) = cache.StorageForAppend(layerIndex, 1);
            var (qp, kp, vp) = (projections[0], projections[1], projections[2]);
            var norms = DecodeHeadNorms;
            if (DecodeAttention.AppliesToStep(qp, kp, vp, cos, sin, keys, values, mask.KeyPadding, norms))
                return OProj.Forward(DecodeAttention.Step(qp, kp, vp, cos, sin, keys, values, cache.Length, mask.KeyPadding, norms)).MoveToOuterDisposeScope();
        }
        var (q, k, v) = Prepare(projections, cos, sin, cache, layerIndex);
        var g = _config.GroupSize;
        var o = mask.ResolvedPath switch
        {
            AttentionPath.Dense => AttentionKernels.Grouped(q, k, v, mask.Build(0, mask.QueryLength, g, x.device), g),
            AttentionPath.Chunked => AttentionKernels.Chunked(q, k, v, mask, g),
            _ when mask.QueryLength == 1 => AttentionKernels.Grouped(q, k, v, null, g),
            _ => AttentionKernels.Causal(q, k, v, g),
        };
        return Output(o).MoveToOuterDisposeScope();
    }

    /// <summary>q [B, heads, T, D], k and v [B, kvHeads, S, D] (rotated; cached slots included).</summary>
    private (Tensor Q, Tensor K, Tensor V) Project(Tensor x, Tensor cos, Tensor sin, KvCache? cache, int layerIndex) =>
        Prepare(LinearProjection.ForwardMany(x, QProj, KProj, VProj), cos, sin, cache, layerIndex);

    /// <summary>
    /// The projections [B, T, ·] as q [B, heads, T, D], k and v [B, kvHeads, S, D] (q and k head-normalised when
    /// configured, then rotated; cached slots included).
    /// </summary>
    private (Tensor Q, Tensor K, Tensor V) Prepare(Tensor[] qkv, Tensor cos, Tensor sin, KvCache? cache, int layerIndex)
    {
        long b = qkv[0].size(0), t = qkv[0].size(1);
        int hq = _config.NumAttentionHeads, hkv = _config.NumKeyValueHeads, d = _config.HeadDim;
        var q = qkv[0].view(b, t, hq, d);
        var k = qkv[1].view(b, t, hkv, d);
        if (QNorm is not null) q = QNorm.Forward(q);
        if (KNorm is not null) k = KNorm.Forward(k);
        q = q.transpose(1, 2);
        k = k.transpose(1, 2);
        var v = qkv[2].view(b, t, hkv, d).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layerIndex, k, v);
        return (q, k, v);
    }

    /// <summary>o [B, heads, T, D] → o_proj([B, T, heads·D]).</summary>
    private Tensor Output(Tensor o)
    {
        long b = o.size(0), t = o.size(2);
        return OProj.Forward(o.transpose(1, 2).reshape(b, t, (long)_config.NumAttentionHeads * _config.HeadDim));
    }
}
