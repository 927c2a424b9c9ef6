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

    /// <summary>A small config for a quick smoke run of the benchmark itself.</summary>
    public static ModelConfig Small { get; } = Qwen25_05B with { VocabSize = 8192, HiddenSize = 256, IntermediateSize = 1024, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 2 };
}
