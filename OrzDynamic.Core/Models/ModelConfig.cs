namespace OrzDynamic.Core.Models;

/// <summary>Architecture hyper-parameters of a Qwen2, Qwen3, Llama or Mistral decoder-only causal LM (from a Hugging Face <c>config.json</c>).</summary>
public sealed record ModelConfig
{
    /// <summary><c>model_type</c>: <c>"qwen2"</c>, <c>"qwen3"</c>, <c>"llama"</c> or <c>"mistral"</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>Vocabulary size (rows of the embedding and lm_head).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Model width.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>Width of the SwiGLU MLP.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers.</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Number of query heads.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Number of key/value heads (grouped-query attention); equals <see cref="NumAttentionHeads"/> for MHA.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Per-head dimension (<c>head_dim</c>, default hidden_size / num_attention_heads).</summary>
    public required int HeadDim { get; init; }

    /// <summary>RMSNorm epsilon.</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>Rotary base.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Rotary scaling, or null.</summary>
    internal RopeScaling? RopeScaling { get; init; }

    /// <summary>Maximum context the model was configured for.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>Whether lm_head shares the token embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Bias on q/k/v projections (always true for qwen2; <c>attention_bias</c> for qwen3 and llama; false for mistral).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Bias on the output projection (false for qwen2 and mistral; <c>attention_bias</c> for qwen3 and llama).</summary>
    public bool OutputBias { get; init; }

    /// <summary>
    /// Per-head RMSNorm of the queries and keys (<c>self_attn.q_norm.weight</c>, <c>self_attn.k_norm.weight</c>, each
    /// [head_dim]) after their projections and before the rotary embedding (true for qwen3).
    /// </summary>
    public bool QkNorm { get; init; }

    /// <summary>Bias on the MLP projections (<c>mlp_bias</c>, llama only).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Beginning-of-sequence token id, if configured.</summary>
    public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence token ids (config allows one id or a list).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary><c>torch_dtype</c> as written in the config (e.g. <c>"bfloat16"</c>), or null.</summary>
    public string? TorchDType { get; init; }

    /// <summary>Number of query heads per key/value head.</summary>
    public int GroupSize => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Number of parameters of the model (tied embeddings counted once).</summary>
    public long ParameterCount
    {
        get
        {
            long h = HiddenSize, q = (long)NumAttentionHeads * HeadDim, kv = (long)NumKeyValueHeads * HeadDim, i = IntermediateSize;
            var attn = h * q + 2 * h * kv + q * h + (QkvBias ? q + 2 * kv : 0) + (OutputBias ? h : 0);
            var mlp = 3 * h * i + (MlpBias ? 2 * i + h : 0);
            var layer = attn + mlp + 2 * h + (QkNorm ? 2L * HeadDim : 0);
            var embed = (long)VocabSize * h;
            return NumHiddenLayers * layer + h + embed + (TieWordEmbeddings ? 0 : embed);
        }
    }
}
