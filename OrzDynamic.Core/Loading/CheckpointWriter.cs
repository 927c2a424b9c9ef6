using System.Text.Json.Nodes;
using OrzDynamic.Metrics.SafeTensors;

namespace OrzDynamic.Core.Loading;

/// <summary>
/// Writes a <see cref="CausalLM"/> as a Hugging Face checkpoint directory that <see cref="CheckpointLoader.Load"/>
/// (and <c>transformers</c>) read: <c>config.json</c>, a single <c>model.safetensors</c> and, when the model has eos
/// ids, <c>generation_config.json</c>. Tied lm_head weights are stored once (as the embedding), as Hugging Face does.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>The generation config file name.</summary>
    public const string GenerationConfigFileName = "generation_config.json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="model"/> into <paramref name="directory"/> (created if needed; existing files are replaced).</summary>
    /// <param name="model">The model to save.</param>
    /// <param name="directory">Target checkpoint directory.</param>
    /// <param name="storageDType">Dtype of the stored tensors (float32, bfloat16 or float16); null = the model's dtype.</param>
    /// <param name="padTokenId">Pad id written to generation_config.json, or null to leave it out.</param>
    /// <exception cref="NotSupportedException"><paramref name="storageDType"/> is not a floating type the loader reads.</exception>
    public static void Save(CausalLM model, string directory, ScalarType? storageDType = null, int? padTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var dtype = storageDType ?? model.DType;
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16))
            throw new NotSupportedException($"Checkpoint storage dtype {dtype} is not supported (float32, bfloat16, float16).");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson(model.Config, dtype));
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var tensors = model.NamedWeights().Select(w => (w.Name, Tensor: w.Parameter.detach().to(dtype, CPU))).ToList();
            SafeTensorsWriter.Save(Path.Combine(directory, CheckpointLoader.SingleFileName), tensors,
                new Dictionary<string, string> { ["format"] = "pt" });
        }
        var generation = Path.Combine(directory, GenerationConfigFileName);
        if (model.Config.EosTokenIds.Count > 0) File.WriteAllText(generation, GenerationConfigJson(model.Config, padTokenId));
        else if (File.Exists(generation)) File.Delete(generation);
    }

    /// <summary>The <c>config.json</c> text for <paramref name="config"/> with weights stored as <paramref name="storageDType"/>.</summary>
    /// <exception cref="NotSupportedException">The model type is not one of qwen2, qwen3, llama, mistral.</exception>
    public static string ConfigJson(ModelConfig config, ScalarType storageDType)
    {
        ArgumentNullException.ThrowIfNull(config);
        var architecture = config.ModelType switch
        {
            "qwen2" => "Qwen2ForCausalLM",
            "qwen3" => "Qwen3ForCausalLM",
            "llama" => "LlamaForCausalLM",
            "mistral" => "MistralForCausalLM",
            _ => throw new NotSupportedException($"Cannot write a config for model_type '{config.ModelType}' (qwen2, qwen3, llama, mistral)."),
        };
        var c = new JsonObject
        {
            ["architectures"] = new JsonArray(architecture),
            ["model_type"] = config.ModelType,
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["torch_dtype"] = DTypeName(storageDType),
            ["use_cache"] = true,
        };
        switch (config.ModelType)
        {
            case "qwen2":
                c["use_sliding_window"] = false;
                c["attention_dropout"] = 0.0;
                break;
            case "qwen3":
                c["use_sliding_window"] = false;
                c["sliding_window"] = null;
                c["attention_bias"] = config.QkvBias;
                c["attention_dropout"] = 0.0;
                break;
            case "mistral":
                c["sliding_window"] = null;
                break;
            default:
                c["attention_bias"] = config.QkvBias;
                c["mlp_bias"] = config.MlpBias;
                break;
        }
        if (config.BosTokenId is { } bos) c["bos_token_id"] = bos;
        if (config.EosTokenIds.Count > 0) c["eos_token_id"] = IdOrList(config.EosTokenIds);
        if (config.RopeScaling is { } s)
            c["rope_scaling"] = new JsonObject
            {
                ["rope_type"] = s.Type,
                ["factor"] = s.Factor,
                ["low_freq_factor"] = s.LowFreqFactor,
                ["high_freq_factor"] = s.HighFreqFactor,
                ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
            };
        return c.ToJsonString(Indented);
    }

    /// <summary>The <c>generation_config.json</c> text: bos/eos (and optional pad) ids.</summary>
    public static string GenerationConfigJson(ModelConfig config, int? padTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var g = new JsonObject();
        if (config.BosTokenId is { } bos) g["bos_token_id"] = bos;
        if (config.EosTokenIds.Count > 0) g["eos_token_id"] = IdOrList(config.EosTokenIds);
        if (padTokenId is { } pad) g["pad_token_id"] = pad;
        return g.ToJsonString(Indented);
    }

    private static JsonNode IdOrList(IReadOnlyList<int> ids) =>
        ids.Count == 1 ? JsonValue.Create(ids[0]) : new JsonArray(ids.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());

    private static string DTypeName(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"dtype {dtype}")),
    };
}
