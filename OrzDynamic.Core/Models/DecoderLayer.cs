namespace OrzDynamic.Core.Models;

/// <summary>Pre-norm decoder block: x + attn(norm(x)), then + mlp(norm(·)).</summary>
internal sealed class DecoderLayer : nn.Module
{
    private readonly int _index;

    /// <summary>Creates layer <paramref name="index"/> with uninitialised weights.</summary>
    public DecoderLayer(ModelConfig config, int index, ScalarType dtype, Device device) : base($"layer{index}")
    {
        _index = index;
        InputLayerNorm = new RmsNorm("input_layernorm", config.HiddenSize, config.RmsNormEps, dtype, device);
        SelfAttention = new Attention(config, dtype, device);
        PostAttentionLayerNorm = new RmsNorm("post_attention_layernorm", config.HiddenSize, config.RmsNormEps, dtype, device);
        Mlp = new SwiGluMlp(config, dtype, device);
        register_module("input_layernorm", InputLayerNorm);
        register_module("self_attn", SelfAttention);
        register_module("post_attention_layernorm", PostAttentionLayerNorm);
        register_module("mlp", Mlp);
    }

    /// <summary>Norm before attention.</summary>
    public RmsNorm InputLayerNorm { get; }

    /// <summary>Self-attention.</summary>
    public Attention SelfAttention { get; }

    /// <summary>Norm before the MLP.</summary>
    public RmsNorm PostAttentionLayerNorm { get; }

    /// <summary>Feed-forward.</summary>
    public SwiGluMlp Mlp { get; }

    /// <summary>Runs the block on x [B, T, hidden] with a dense grouped mask (see <see cref="Attention.Forward(Tensor, Tensor, Tensor, Tensor, KvCache?, int)"/>).</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var h = x + SelfAttention.Forward(InputLayerNorm.Forward(x), cos, sin, mask, cache, _index);
        var o = h + Mlp.Forward(PostAttentionLayerNorm.Forward(h));
        return o.MoveToOuterDisposeScope();
    }

    /// <summary>Runs the block on x [B, T, hidden], attending as <paramref name="mask"/> describes.</summary>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, AttentionMask mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var h = x + SelfAttention.Forward(InputLayerNorm.Forward(x), cos, sin, mask, cache, _index);
        var o = h + Mlp.Forward(PostAttentionLayerNorm.Forward(h));
        return o.MoveToOuterDisposeScope();
    }
}
