using OrzDynamic.Core.Models;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>Architectures benchmarked with generated weights.</summary>
internal static class ModelBenchmarkConfigs
{
    /// <summary>Qwen2.5-0.5B's config.json values (494M parameters, tied embeddings).</summary>
    public static ModelConfig Qwen25_05B { get; } = new()
    {
        ModelType = "qwen2",
        VocabSize = 151936,
        HiddenSize = 896,
        IntermediateSize = 4864,
        NumHiddenLayers = 24,
        NumAttentionHeads = 14,
        NumKeyValueHeads = 2,
        HeadDim = 64,
        RmsNormEps = 1e-6,
        RopeTheta = 1000000.0,
        MaxPositionEmbeddings = 32768,
        TieWordEmbeddings = true,
        QkvBias = true,
        EosTokenIds = [151643, 151645],
    };

    /// <summary>
    /// Qwen3-0.6B's config.json values (596M parameters, tied embeddings): head_dim 128 on 16 query heads over a width
    /// of 1024, per-head q/k norms, no attention bias.
    /// </summary>
    public static ModelConfig Qwen3_06B { get; } = new()
    {
        ModelType = "qwen3",
        VocabSize = 151936,
        HiddenSize = 1024,
        IntermediateSize = 3072,
        NumHiddenLayers = 28,
        NumAttentionHeads = 16,
        NumKeyValueHeads = 8,
        HeadDim = 128,
        RmsNormEps = 1e-6,
        RopeTheta = 1000000.0,
        MaxPositionEmbeddings = 40960,
        TieWordEmbeddings = true,
        QkNorm = true,
        EosTokenIds = [151645, 151643],
    };

    /// <summary>The full-size shapes by the names the benchmarks' options use.</summary>
    public static IReadOnlyDictionary<string, ModelConfig> Shapes { get; } = new Dictionary<string, ModelConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["qwen2.5-0.5b"] = Qwen25_05B,
        ["qwen3-0.6b"] = Qwen3_06B,
    };

    /// <summary>A small config for a quick smoke run of the benchmark itself.</summary>
    public static ModelConfig Small { get; } = Qwen25_05B with { VocabSize = 8192, HiddenSize = 256, IntermediateSize = 1024, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2 };

    /// <summary>
    /// A mid-size Qwen2.5-shaped config (about 57M parameters: width 512, 8 layers, 8 heads × 64 over 2 kv heads,
    /// intermediate 2816, vocab 32768) whose prompt passes and decoding steps are dominated by matrix products as in
    /// the full-size model, for generation benchmarks that must finish in minutes.
    /// </summary>
    public static ModelConfig Medium { get; } = Qwen25_05B with { VocabSize = 32768, HiddenSize = 512, IntermediateSize = 2816, NumHiddenLayers = 8, NumAttentionHeads = 8, NumKeyValueHeads = 2 };

    /// <summary>A small Qwen3-shaped config (head_dim 128 on width 256 / 4 heads) for a quick smoke run.</summary>
    public static ModelConfig SmallQwen3 { get; } = Qwen3_06B with { VocabSize = 8192, HiddenSize = 256, IntermediateSize = 768, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2 };
}
