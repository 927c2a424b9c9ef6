namespace OrzDynamic.Core.Loading;

/// <summary>Reads a Hugging Face <c>config.json</c> for the supported architectures (<c>qwen2</c>, <c>qwen3</c>, <c>llama</c>, <c>mistral</c>).</summary>
internal static class ModelConfigReader
{
    /// <summary>The <c>model_type</c> values this library can run.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } = ["qwen2", "qwen3", "llama", "mistral"];

    /// <summary>Config keys that give a mixture-of-experts model its number of experts.</summary>
    private static readonly string[] ExpertCountKeys = ["num_experts", "num_local_experts"];

    /// <summary>Reads and validates <paramref name="configPath"/>.</summary>
    /// <exception cref="CheckpointFormatException">Malformed JSON, a missing/invalid field.</exception>
    /// <exception cref="UnsupportedModelConfigException">
    /// Unknown <c>model_type</c>, a mixture of experts, sliding-window attention narrower than the context (or a
    /// <c>layer_types</c> entry other than full attention), an unknown activation or rope scaling type.
    /// </exception>
    public static ModelConfig Read(string configPath)
    {
        configPath = Path.GetFullPath(configPath);
        return Parse(File.ReadAllBytes(configPath), configPath);
    }

    /// <summary>Parses config.json content; <paramref name="sourceName"/> names it in errors.</summary>
    /// <exception cref="CheckpointFormatException">Malformed JSON, a missing/invalid field.</exception>
    /// <exception cref="UnsupportedModelConfigException">
    /// Unknown <c>model_type</c>, a mixture of experts, sliding-window attention narrower than the context (or a
    /// <c>layer_types</c> entry other than full attention), an unknown activation or rope scaling type.
    /// </exception>
    public static ModelConfig Parse(ReadOnlyMemory<byte> json, string sourceName)
    {
        var configPath = sourceName;
        using var doc = CheckpointJson.Parse(json, configPath);
        var r = doc.RootElement;
        if (r.ValueKind != JsonValueKind.Object) throw new CheckpointFormatException(configPath, null, "config must be a JSON object");
        var f = new Fields(configPath, r);
        var modelType = f.String("model_type") ?? throw new CheckpointFormatException(configPath, "model_type", "missing");
        RefuseMixtureOfExperts(configPath, modelType, f);
        if (!SupportedModelTypes.Contains(modelType))
            throw new UnsupportedModelConfigException(configPath, "model_type", $"'{modelType}' is not supported (supported: {string.Join(", ", SupportedModelTypes)}).");
        var act = f.String("hidden_act") ?? "silu";
        if (act != "silu") throw new UnsupportedModelConfigException(configPath, "hidden_act", $"'{act}' is not supported (only silu).");

        var hidden = f.RequiredInt("hidden_size");
        var heads = f.RequiredInt("num_attention_heads");
        var kvHeads = f.Int("num_key_value_heads") ?? heads;
        if (heads % kvHeads != 0)
            throw new CheckpointFormatException(configPath, "num_key_value_heads", $"{kvHeads} does not divide num_attention_heads {heads}");
        var headDim = f.Int("head_dim") ?? (hidden % heads == 0 ? hidden / heads
            : throw new CheckpointFormatException(configPath, "hidden_size", $"{hidden} is not divisible by num_attention_heads {heads} and head_dim is absent"));
        if (headDim % 2 != 0) throw new CheckpointFormatException(configPath, "head_dim", $"{headDim} must be even for rotary embeddings");
        var maxPositions = f.Int("max_position_embeddings") ?? 2048;
        RefuseSlidingWindow(configPath, modelType, f, maxPositions);
        var attnBias = f.Bool("attention_bias") ?? false;
        var (qkvBias, outputBias, mlpBias) = modelType switch
        {
            "qwen2" => (true, false, false),
            "qwen3" => (attnBias, attnBias, false),
            "mistral" => (false, false, false),
            _ => (attnBias, attnBias, f.Bool("mlp_bias") ?? false),
        };
        return new ModelConfig
        {
            ModelType = modelType,
            VocabSize = f.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = f.RequiredInt("intermediate_size"),
            NumHiddenLayers = f.RequiredInt("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            RmsNormEps = f.Double("rms_norm_eps") ?? 1e-6,
            RopeTheta = f.Double("rope_theta") ?? 10000.0,
            RopeScaling = ReadRopeScaling(configPath, r),
            MaxPositionEmbeddings = maxPositions,
            TieWordEmbeddings = f.Bool("tie_word_embeddings") ?? false,
            QkvBias = qkvBias,
            OutputBias = outputBias,
            MlpBias = mlpBias,
            QkNorm = modelType == "qwen3",
            BosTokenId = f.Int("bos_token_id"),
            EosTokenIds = f.IntOrList("eos_token_id"),
            TorchDType = f.String("torch_dtype"),
        };
    }

    /// <summary>
    /// Refuses a mixture-of-experts config: a <c>model_type</c> naming one (<c>mixtral</c>, <c>*_moe</c>) or a positive
    /// expert count (<see cref="ExpertCountKeys"/>), which a dense model would silently misread.
    /// </summary>
    private static void RefuseMixtureOfExperts(string path, string modelType, Fields f)
    {
        if (modelType == "mixtral" || modelType.EndsWith("_moe", StringComparison.Ordinal))
            throw new UnsupportedModelConfigException(path, "model_type",
                $"'{modelType}' is a mixture-of-experts model, which is not supported (supported: dense {string.Join(", ", SupportedModelTypes)}).");
        foreach (var key in ExpertCountKeys)
            if (f.Int(key) is > 0 and var experts)
                throw new UnsupportedModelConfigException(path, key, $"{experts} experts: mixture-of-experts models are not supported (only dense MLPs).");
    }

    /// <summary>
    /// Refuses a <c>layer_types</c> entry other than <c>full_attention</c>, and sliding-window attention whose window is
    /// narrower than the context (attention here always sees the whole context): for qwen2 and qwen3 when
    /// <c>use_sliding_window</c> is true (conservatively, whatever <c>max_window_layers</c> says), for mistral whenever
    /// <c>sliding_window</c> is a number — or absent, which transformers reads as its default window of
    /// <see cref="MistralDefaultWindow"/>. A window at least as wide as <c>max_position_embeddings</c>, or none (null),
    /// changes nothing and is accepted.
    /// </summary>
    private static void RefuseSlidingWindow(string path, string modelType, Fields f, int maxPositions)
    {
        // Newer configs list each layer's attention; anything but full attention is refused whatever the other keys say.
        foreach (var layerType in f.StringList("layer_types"))
            if (layerType != "full_attention")
                throw new UnsupportedModelConfigException(path, "layer_types", $"'{layerType}' layers are not supported (only full_attention).");
        var applies = modelType switch
        {
            "qwen2" or "qwen3" => f.Bool("use_sliding_window") == true,
            "mistral" => true,
            _ => false,
        };
        var window = modelType == "mistral" && !f.Present("sliding_window") ? MistralDefaultWindow : f.Int("sliding_window");
        if (!applies || window is null || window >= maxPositions) return;
        var condition = modelType != "mistral" ? "use_sliding_window is true and "
            : f.Present("sliding_window") ? "" : "absent, so transformers' default applies: ";
        throw new UnsupportedModelConfigException(path, "sliding_window",
            $"{condition}the window of {window} tokens is smaller than max_position_embeddings {maxPositions}: sliding-window attention is not implemented.");
    }

    /// <summary>transformers' <c>MistralConfig</c> default <c>sliding_window</c>, used when the key is absent.</summary>
    private const int MistralDefaultWindow = 4096;

    private static RopeScaling? ReadRopeScaling(string path, JsonElement root)
    {
        if (!root.TryGetProperty("rope_scaling", out var e) || e.ValueKind == JsonValueKind.Null) return null;
        if (e.ValueKind != JsonValueKind.Object) throw new CheckpointFormatException(path, "rope_scaling", "must be an object or null");
        var f = new Fields(path, e, "rope_scaling.");
        var type = f.String("rope_type") ?? f.String("type") ?? throw new CheckpointFormatException(path, "rope_scaling.rope_type", "missing");
        if (type == "default") return null;
        if (type != "llama3")
            throw new UnsupportedModelConfigException(path, "rope_scaling.rope_type", $"'{type}' is not supported (supported: llama3).");
        return new RopeScaling(type, f.RequiredDouble("factor"), f.RequiredDouble("low_freq_factor"), f.RequiredDouble("high_freq_factor"),
            f.RequiredInt("original_max_position_embeddings"));
    }

    private readonly struct Fields(string path, JsonElement obj, string prefix = "")
    {
        /// <summary>True when the key is present, even as null.</summary>
        public bool Present(string name) => obj.TryGetProperty(name, out _);

        private JsonElement? Get(string name) =>
            obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

        private CheckpointFormatException Bad(string name, JsonElement v, string want) =>
            new(path, prefix + name, $"expected {want}, found {v.ValueKind} {v}");

        public string? String(string name) => Get(name) is { } v ? (v.ValueKind == JsonValueKind.String ? v.GetString() : throw Bad(name, v, "a string")) : null;

        public int? Int(string name) => Get(name) is { } v
            ? (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= 0 ? i : throw Bad(name, v, "a non-negative integer"))
            : null;

        public int RequiredInt(string name) => Int(name) is { } i && i > 0 ? i : throw new CheckpointFormatException(path, prefix + name, "missing or not a positive integer");

        public double? Double(string name) => Get(name) is { } v
            ? (v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Bad(name, v, "a number"))
            : null;

        public double RequiredDouble(string name) => Double(name) ?? throw new CheckpointFormatException(path, prefix + name, "missing");

        public bool? Bool(string name) => Get(name) is { } v
            ? (v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Bad(name, v, "a boolean"))
            : null;

        public IReadOnlyList<string> StringList(string name)
        {
            if (Get(name) is not { } v) return [];
            if (v.ValueKind != JsonValueKind.Array) throw Bad(name, v, "a list of strings");
            var list = new List<string>();
            foreach (var x in v.EnumerateArray())
                list.Add(x.ValueKind == JsonValueKind.String ? x.GetString()! : throw Bad(name, x, "a string"));
            return list;
        }

        public IReadOnlyList<int> IntOrList(string name)
        {
            if (Get(name) is not { } v) return [];
            if (v.ValueKind == JsonValueKind.Number) return [Int(name)!.Value];
            if (v.ValueKind != JsonValueKind.Array) throw Bad(name, v, "an integer or a list of integers");
            var list = new List<int>();
            foreach (var x in v.EnumerateArray())
                list.Add(x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i) && i >= 0 ? i : throw Bad(name, x, "a non-negative integer"));
            return list;
        }
    }
}
