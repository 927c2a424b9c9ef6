using System.Text.Json;
using System.Text.Json.Nodes;
using OrzDynamic.Metrics.SafeTensors;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Fixtures;

/// <summary>
/// Writes a tiny Hugging Face checkpoint directory (config.json + model.safetensors, or shards with
/// model.safetensors.index.json) with seeded random weights, in qwen2, qwen3, llama or mistral layout. For tests of
/// loading, generation and scoring.
/// </summary>
public sealed class TinyCheckpointBuilder
{
    /// <summary>
    /// <c>model_type</c>: "qwen2" (q/k/v bias), "qwen3" (per-head q/k norms; biases per <see cref="AttentionBias"/>),
    /// "llama" (biases per <see cref="AttentionBias"/>) or "mistral" (no biases).
    /// </summary>
    public string ModelType { get; init; } = "qwen2";

    /// <summary><c>attention_bias</c> written to the config (qwen3, llama): q/k/v/o projections with biases.</summary>
    public bool AttentionBias { get; init; }

    /// <summary><c>sliding_window</c> written to the config (qwen3 and mistral always, as null when unset; qwen2 when set).</summary>
    public int? SlidingWindow { get; init; }

    /// <summary><c>use_sliding_window</c> written to the config (qwen2, qwen3).</summary>
    public bool UseSlidingWindow { get; init; }

    /// <summary>Vocabulary size.</summary>
    public int VocabSize { get; init; } = 96;

    /// <summary>Model width.</summary>
    public int HiddenSize { get; init; } = 32;

    /// <summary>MLP width.</summary>
    public int IntermediateSize { get; init; } = 64;

    /// <summary>Number of layers.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Query heads.</summary>
    public int Heads { get; init; } = 4;

    /// <summary>Key/value heads.</summary>
    public int KvHeads { get; init; } = 2;

    /// <summary>Explicit head_dim written to the config, or null to leave it implied.</summary>
    public int? HeadDim { get; init; }

    /// <summary>Tie lm_head to the embedding.</summary>
    public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Write a llama3 rope_scaling block (llama only).</summary>
    public bool Llama3RopeScaling { get; init; }

    /// <summary>Seed of the weights.</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>Standard deviation of the random matrices.</summary>
    public double WeightScale { get; init; } = 0.15;

    /// <summary>Number of shard files (1 = single model.safetensors).</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Storage dtype of the weights (F32, BF16 or F16).</summary>
    public ScalarType StorageDType { get; init; } = ScalarType.Float32;

    /// <summary>Eos ids written to the config.</summary>
    public int[] EosTokenIds { get; init; } = [2];

    /// <summary>max_position_embeddings written to the config.</summary>
    public long MaxPositionEmbeddings { get; init; } = 4096;

    /// <summary>Tensors whose values are all NaN (for fault tests).</summary>
    public IReadOnlyCollection<string> NanTensors { get; init; } = [];

    /// <summary>Tensors to leave out (for error tests).</summary>
    public IReadOnlyCollection<string> Omit { get; init; } = [];

    /// <summary>Extra tensors to add (for error tests).</summary>
    public IReadOnlyDictionary<string, long[]> Extra { get; init; } = new Dictionary<string, long[]>();

    /// <summary>Tensors to store with a different shape (for error tests).</summary>
    public IReadOnlyDictionary<string, long[]> Reshape { get; init; } = new Dictionary<string, long[]>();

    /// <summary>Effective head dimension.</summary>
    public int EffectiveHeadDim => HeadDim ?? HiddenSize / Heads;

    /// <summary>The Hugging Face tensor names and shapes this config implies, in file order.</summary>
    public IReadOnlyList<(string Name, long[] Shape)> ExpectedTensors()
    {
        long h = HiddenSize, q = (long)Heads * EffectiveHeadDim, kv = (long)KvHeads * EffectiveHeadDim, i = IntermediateSize;
        var list = new List<(string, long[])> { ("model.embed_tokens.weight", [VocabSize, h]) };
        for (var l = 0; l < Layers; l++)
        {
            var p = $"model.layers.{l}.";
            list.Add((p + "input_layernorm.weight", [h]));
            list.Add((p + "self_attn.q_proj.weight", [q, h]));
            list.Add((p + "self_attn.k_proj.weight", [kv, h]));
            list.Add((p + "self_attn.v_proj.weight", [kv, h]));
            var attentionBias = ModelType is "qwen3" or "llama" && AttentionBias;
            if (ModelType == "qwen2" || attentionBias)
            {
                list.Add((p + "self_attn.q_proj.bias", [q]));
                list.Add((p + "self_attn.k_proj.bias", [kv]));
                list.Add((p + "self_attn.v_proj.bias", [kv]));
            }
            list.Add((p + "self_attn.o_proj.weight", [h, q]));
            if (attentionBias) list.Add((p + "self_attn.o_proj.bias", [h]));
            if (ModelType == "qwen3")
            {
                list.Add((p + "self_attn.q_norm.weight", [EffectiveHeadDim]));
                list.Add((p + "self_attn.k_norm.weight", [EffectiveHeadDim]));
            }
            list.Add((p + "post_attention_layernorm.weight", [h]));
            list.Add((p + "mlp.gate_proj.weight", [i, h]));
            list.Add((p + "mlp.up_proj.weight", [i, h]));
            list.Add((p + "mlp.down_proj.weight", [h, i]));
        }
        list.Add(("model.norm.weight", [h]));
        if (!TieWordEmbeddings) list.Add(("lm_head.weight", [VocabSize, h]));
        return list;
    }

    /// <summary>Writes the checkpoint into <paramref name="directory"/> (created if needed) and returns it.</summary>
    public string Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson());
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)Seed);
        var tensors = new List<(string Name, Tensor Tensor)>();
        foreach (var (name, expectedShape) in ExpectedTensors().Concat(Extra.Select(e => (e.Key, e.Value))))
        {
            var shape = Reshape.TryGetValue(name, out var s) ? s : expectedShape;
            var t = name.EndsWith("norm.weight", StringComparison.Ordinal)
                ? 1 + 0.1 * randn(shape, generator: g)
                : WeightScale * randn(shape, generator: g);
            if (Omit.Contains(name)) continue;
            if (NanTensors.Contains(name)) t = full_like(t, double.NaN);
            tensors.Add((name, t.to(StorageDType)));
        }
        if (Shards <= 1)
        {
            SafeTensorsWriter.Save(Path.Combine(directory, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
            return directory;
        }
        var map = new JsonObject();
        var per = (tensors.Count + Shards - 1) / Shards;
        for (var k = 0; k < Shards; k++)
        {
            var file = $"model-{k + 1:00000}-of-{Shards:00000}.safetensors";
            var part = tensors.Skip(k * per).Take(per).ToList();
            SafeTensorsWriter.Save(Path.Combine(directory, file), part, new Dictionary<string, string> { ["format"] = "pt" });
            foreach (var (name, _) in part) map[name] = file;
        }
        var index = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = 0 }, ["weight_map"] = map };
        File.WriteAllText(Path.Combine(directory, "model.safetensors.index.json"), index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return directory;
    }

    /// <summary>The config.json text.</summary>
    public string ConfigJson()
    {
        var c = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelType switch
            {
                "qwen2" => "Qwen2ForCausalLM",
                "qwen3" => "Qwen3ForCausalLM",
                "mistral" => "MistralForCausalLM",
                _ => "LlamaForCausalLM",
            }),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KvHeads,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = 1e-6,
            ["rope_theta"] = ModelType == "llama" ? 500000.0 : 1000000.0,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["bos_token_id"] = 1,
            ["eos_token_id"] = EosTokenIds.Length == 1 ? EosTokenIds[0] : new JsonArray(EosTokenIds.Select(e => (JsonNode)e).ToArray()),
            ["torch_dtype"] = StorageDType == ScalarType.BFloat16 ? "bfloat16" : StorageDType == ScalarType.Float16 ? "float16" : "float32",
        };
        if (HeadDim is { } hd) c["head_dim"] = hd;
        if (ModelType is "llama" or "qwen3") c["attention_bias"] = AttentionBias;
        // As released configs: qwen3 and mistral always name their window (null = none); qwen2 only when asked to.
        if (ModelType == "qwen3" || (ModelType == "qwen2" && (UseSlidingWindow || SlidingWindow is not null))) c["use_sliding_window"] = UseSlidingWindow;
        if (ModelType is "qwen3" or "mistral" || (ModelType == "qwen2" && SlidingWindow is not null)) c["sliding_window"] = SlidingWindow;
        if (Llama3RopeScaling)
            c["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = "llama3",
                ["factor"] = 8.0,
                ["low_freq_factor"] = 1.0,
                ["high_freq_factor"] = 4.0,
                ["original_max_position_embeddings"] = 64,
            };
        return c.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
