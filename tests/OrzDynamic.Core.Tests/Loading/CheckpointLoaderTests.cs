using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Metrics.SafeTensors;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Loading;

public sealed class CheckpointLoaderTests
{
    private static Tensor Ids(params long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length], ScalarType.Int64);

    [TestCase("qwen2", true)]
    [TestCase("qwen2", false)]
    [TestCase("llama", true)]
    [TestCase("llama", false)]
    [TestCase("qwen3", true)]
    [TestCase("qwen3", false)]
    [TestCase("mistral", true)]
    [TestCase("mistral", false)]
    public void LoadsEveryTensorWithItsStoredValue(string modelType, bool tied)
    {
        using var tmp = new TempDirectory();
        var builder = new TinyCheckpointBuilder { ModelType = modelType, TieWordEmbeddings = tied, HeadDim = modelType == "qwen3" ? 16 : null };
        var dir = builder.Write(tmp.Sub("ckpt"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        var weights = model.NamedWeights();
        Assert.That(weights.Select(w => w.Name), Is.EquivalentTo(builder.ExpectedTensors().Select(t => t.Name)));
        using var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        using var scope = NewDisposeScope();
        foreach (var (name, p) in weights)
            Assert.That(p.eq(file.Load(name)).all().item<bool>(), Is.True, name);
        if (tied) Assert.That(ReferenceEquals(model.LmHeadWeight, model.Model.EmbedTokens.Weight), Is.True);
        else Assert.That(model.LmHeadWeight.eq(file.Load("lm_head.weight")).all().item<bool>(), Is.True);
        Assert.That(weights.Sum(w => w.Parameter.numel()), Is.EqualTo(model.Config.ParameterCount));
    }

    [Test]
    public void ShardedLoadEqualsSingleFileLoad()
    {
        using var tmp = new TempDirectory();
        var single = new TinyCheckpointBuilder { ModelType = "qwen2", TieWordEmbeddings = false }.Write(tmp.Sub("single"));
        var sharded = new TinyCheckpointBuilder { ModelType = "qwen2", TieWordEmbeddings = false, Shards = 3 }.Write(tmp.Sub("sharded"));
        Assert.That(File.Exists(Path.Combine(sharded, "model.safetensors.index.json")), Is.True);
        Assert.That(File.Exists(Path.Combine(sharded, "model.safetensors")), Is.False);
        using var a = CheckpointLoader.Load(single, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var b = CheckpointLoader.Load(sharded, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var scope = NewDisposeScope();
        var ids = Ids([5, 9, 17, 3, 80, 44]);
        using var ra = a.Forward(ids);
        using var rb = b.Forward(ids);
        Assert.That(ra.Logits!.eq(rb.Logits!).all().item<bool>(), Is.True);
    }

    [Test]
    public void MissingUnexpectedAndWrongShapeTensorsAreAllListed()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder
        {
            ModelType = "llama",
            Omit = ["model.layers.1.mlp.up_proj.weight", "model.norm.weight"],
            Extra = new Dictionary<string, long[]> { ["model.layers.0.self_attn.extra.weight"] = [4, 4], ["model.layers.0.self_attn.rotary_emb.inv_freq"] = [4] },
            Reshape = new Dictionary<string, long[]> { ["model.layers.0.self_attn.k_proj.weight"] = [8, 32] },
        }.Write(tmp.Sub("bad"));
        var ex = Assert.Throws<CheckpointTensorMismatchException>(() => CheckpointLoader.Load(dir))!;
        Assert.That(ex.Missing, Is.EqualTo(new[] { "model.layers.1.mlp.up_proj.weight", "model.norm.weight" }));
        Assert.That(ex.Unexpected, Is.EqualTo(new[] { "model.layers.0.self_attn.extra.weight" }), "inv_freq buffers are harmless and not listed");
        Assert.That(ex.WrongShape, Has.Count.EqualTo(1));
        Assert.That(ex.WrongShape[0], Does.Contain("model.layers.0.self_attn.k_proj.weight").And.Contain("[8, 32]").And.Contain("[16, 32]"));
        Assert.That(ex.Message, Does.Contain("model.norm.weight").And.Contain("extra.weight"));
    }

    [Test]
    public void HarmlessBuffersAndRedundantTiedHeadAreAccepted()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder
        {
            ModelType = "llama",
            TieWordEmbeddings = true,
            Extra = new Dictionary<string, long[]> { ["model.layers.0.self_attn.rotary_emb.inv_freq"] = [4], ["lm_head.weight"] = [96, 32] },
        }.Write(tmp.Sub("ok"));
        using var model = CheckpointLoader.Load(dir);
        Assert.That(model.LmHead, Is.Null);
    }

    [Test]
    public void TruncatedWeightFileRaisesTypedErrorWithFileAndTensor()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder().Write(tmp.Sub("t"));
        var path = Path.Combine(dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^100]);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => CheckpointLoader.Load(dir))!;
        Assert.That(ex.FilePath, Is.EqualTo(path));
        Assert.That(ex.TensorName, Is.EqualTo("model.norm.weight"), "the last tensor in the file is cut off");
    }

    [Test]
    public void CorruptHeaderInAShardNamesTheShard()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { Shards = 2 }.Write(tmp.Sub("s"));
        var shard = Path.Combine(dir, "model-00002-of-00002.safetensors");
        var bytes = File.ReadAllBytes(shard);
        bytes[9] = (byte)'#';
        File.WriteAllBytes(shard, bytes);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => CheckpointLoader.Load(dir))!;
        Assert.That(ex.FilePath, Is.EqualTo(shard));
        Assert.That(ex.Reason, Does.Contain("JSON"));
    }

    [Test]
    public void IndexNamingAMissingShardOrTensorIsRejected()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { Shards = 2 }.Write(tmp.Sub("s"));
        var index = Path.Combine(dir, "model.safetensors.index.json");
        var text = File.ReadAllText(index);
        File.WriteAllText(index, text.Replace("\"model.norm.weight\"", "\"model.not_there.weight\""));
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(dir))!;
        Assert.That(ex.Item, Is.EqualTo("model.not_there.weight"));
        File.Delete(Path.Combine(dir, "model-00001-of-00002.safetensors"));
        File.WriteAllText(index, text);
        var ex2 = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(dir))!;
        Assert.That(ex2.Item, Is.EqualTo("model-00001-of-00002.safetensors"));
    }

    [Test]
    public void NoWeightsFileIsRejected()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.Sub("config.json"), new TinyCheckpointBuilder().ConfigJson());
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.Load(tmp.Path))!;
        Assert.That(ex.Reason, Does.Contain("model.safetensors"));
    }

    [Test]
    public void Bf16StoredWeightsLoadIntoAnyDtype()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { StorageDType = ScalarType.BFloat16 }.Write(tmp.Sub("bf"));
        using var f32 = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var bf16 = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.BFloat16 });
        Assert.That(f32.Model.Norm.Weight.dtype, Is.EqualTo(ScalarType.Float32));
        Assert.That(bf16.Model.Norm.Weight.dtype, Is.EqualTo(ScalarType.BFloat16));
        using var scope = NewDisposeScope();
        Assert.That(f32.Model.Norm.Weight.to(ScalarType.BFloat16).eq(bf16.Model.Norm.Weight).all().item<bool>(), Is.True);
    }

    [Test]
    public void Bf16ModelMatchesFloat32WithinTolerance()
    {
        // Stated tolerance: bf16 has an 8-bit mantissa (relative step 2^-8 ≈ 0.004); through 2 layers and a vocab
        // projection, logits of this seeded model (|logit| ≲ 3) must agree within 0.1 absolute, and the top token must agree.
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { ModelType = "qwen2", StorageDType = ScalarType.BFloat16 }.Write(tmp.Sub("bf"));
        using var f32 = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var bf16 = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.BFloat16 });
        using var scope = NewDisposeScope();
        var ids = Ids([5, 9, 17, 3, 80, 44, 12, 7]);
        using var a = f32.Forward(ids);
        using var b = bf16.Forward(ids);
        Assert.That(b.Logits!.dtype, Is.EqualTo(ScalarType.Float32));
        var diff = (a.Logits! - b.Logits!).abs().max().item<float>();
        TestContext.Out.WriteLine($"max |f32 - bf16| = {diff}, max |logit| = {a.Logits!.abs().max().item<float>()}");
        Assert.That(diff, Is.LessThan(0.1f));
        Assert.That(a.Logits!.argmax(-1).eq(b.Logits!.argmax(-1)).all().item<bool>(), Is.True);
    }

    [Test]
    public void UnknownModelTypeIsNotSupportedAndNamed()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.Sub("config.json"), new TinyCheckpointBuilder().ConfigJson().Replace("\"qwen2\"", "\"gpt_neox\""));
        var ex = Assert.Throws<UnsupportedModelConfigException>(() => CheckpointLoader.ReadConfig(tmp.Path))!;
        Assert.That(ex.Message, Does.Contain("gpt_neox"));
        Assert.That(ex.Key, Is.EqualTo("model_type"));
    }

    [Test]
    public void UnsupportedRopeScalingIsNamed()
    {
        using var tmp = new TempDirectory();
        var json = new TinyCheckpointBuilder { ModelType = "llama", Llama3RopeScaling = true }.ConfigJson().Replace("\"llama3\"", "\"yarn\"");
        File.WriteAllText(tmp.Sub("config.json"), json);
        var ex = Assert.Throws<UnsupportedModelConfigException>(() => CheckpointLoader.ReadConfig(tmp.Path))!;
        Assert.That(ex.Message, Does.Contain("yarn"));
        Assert.That(ex.Key, Is.EqualTo("rope_scaling.rope_type"));
    }

    private static UnsupportedModelConfigException Refused(TempDirectory tmp, string json)
    {
        File.WriteAllText(tmp.Sub("config.json"), json);
        var ex = Assert.Throws<UnsupportedModelConfigException>(() => CheckpointLoader.ReadConfig(tmp.Path))!;
        Assert.That(ex.FilePath, Is.EqualTo(tmp.Sub("config.json")));
        Assert.That(ex.Message, Does.Contain(ex.FilePath).And.Contain(ex.Key));
        Assert.That(ex, Is.InstanceOf<NotSupportedException>(), "callers that catch NotSupportedException keep working");
        return ex;
    }

    private static ModelConfig Accepted(TempDirectory tmp, string json)
    {
        File.WriteAllText(tmp.Sub("config.json"), json);
        return CheckpointLoader.ReadConfig(tmp.Path);
    }

    [TestCase("qwen2")]
    [TestCase("qwen3")]
    public void QwenSlidingWindowNarrowerThanTheContextIsRefusedNotIgnored(string modelType)
    {
        using var tmp = new TempDirectory();
        string Json(bool use, int? window) =>
            new TinyCheckpointBuilder { ModelType = modelType, UseSlidingWindow = use, SlidingWindow = window, MaxPositionEmbeddings = 4096 }.ConfigJson();
        var ex = Refused(tmp, Json(true, 1024));
        Assert.That(ex.Key, Is.EqualTo("sliding_window"));
        Assert.That(ex.Reason, Does.Contain("use_sliding_window").And.Contain("1024").And.Contain("4096"));
        // Switched off, as wide as the context, or no window at all: nothing changes, so the config is accepted.
        Assert.That(Accepted(tmp, Json(false, 1024)).ModelType, Is.EqualTo(modelType));
        Assert.That(Accepted(tmp, Json(true, 4096)).ModelType, Is.EqualTo(modelType));
        Assert.That(Accepted(tmp, Json(true, null)).ModelType, Is.EqualTo(modelType));
        // Newer configs name each layer's attention.
        var full = Json(false, null).Replace("\"model_type\"", "\"layer_types\": [\"full_attention\", \"full_attention\"], \"model_type\"");
        Assert.That(Accepted(tmp, full).ModelType, Is.EqualTo(modelType));
        var sliding = Refused(tmp, full.Replace("\"full_attention\"]", "\"sliding_attention\"]"));
        Assert.That((sliding.Key, sliding.Reason), Is.EqualTo(("layer_types", "'sliding_attention' layers are not supported (only full_attention).")));
    }

    [Test]
    public void MistralSlidingWindowNarrowerThanTheContextIsRefusedNotIgnored()
    {
        using var tmp = new TempDirectory();
        string Json(int? window) => new TinyCheckpointBuilder { ModelType = "mistral", SlidingWindow = window, MaxPositionEmbeddings = 32768 }.ConfigJson();
        Assert.That(Accepted(tmp, Json(null)).ModelType, Is.EqualTo("mistral"), "sliding_window null, as current releases");
        var ex = Refused(tmp, Json(4096));
        Assert.That(ex.Key, Is.EqualTo("sliding_window"));
        Assert.That(ex.Reason, Does.Contain("4096").And.Contain("32768"));
        Assert.That(Accepted(tmp, Json(32768)).ModelType, Is.EqualTo("mistral"));
        // Absent, transformers applies its default window of 4096.
        var released = Json(null);
        Assert.That(released, Does.Contain("\"sliding_window\": null"));
        var absent = Refused(tmp, released.Replace("\"sliding_window\": null", "\"no_window_key\": null"));
        Assert.That(absent.Reason, Does.Contain("absent").And.Contain("4096"));
    }

    [TestCase("qwen3_moe", "model_type")]
    [TestCase("mixtral", "model_type")]
    [TestCase("qwen2_moe", "model_type")]
    public void MixtureOfExpertsModelTypesAreRefusedAsSuch(string modelType, string key)
    {
        using var tmp = new TempDirectory();
        var ex = Refused(tmp, new TinyCheckpointBuilder { ModelType = "qwen3" }.ConfigJson().Replace("\"qwen3\"", $"\"{modelType}\""));
        Assert.That(ex.Key, Is.EqualTo(key));
        Assert.That(ex.Reason, Does.Contain(modelType).And.Contain("mixture-of-experts"));
    }

    [TestCase("qwen3", "num_experts")]
    [TestCase("mistral", "num_local_experts")]
    public void ExpertCountsInADenseModelTypeAreRefused(string modelType, string key)
    {
        using var tmp = new TempDirectory();
        var json = new TinyCheckpointBuilder { ModelType = modelType }.ConfigJson();
        var ex = Refused(tmp, json.Replace("\"model_type\"", $"\"{key}\": 8, \"model_type\""));
        Assert.That(ex.Key, Is.EqualTo(key));
        Assert.That(ex.Reason, Does.Contain("8 experts"));
        Assert.That(Accepted(tmp, json.Replace("\"model_type\"", $"\"{key}\": 0, \"model_type\"")).ModelType, Is.EqualTo(modelType), "no experts: dense");
    }

    [Test]
    public void BadConfigFieldsAreNamed()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.Sub("config.json"), new TinyCheckpointBuilder().ConfigJson().Replace("\"hidden_size\": 32", "\"hidden_size\": \"big\""));
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.ReadConfig(tmp.Path))!;
        Assert.That(ex.Item, Is.EqualTo("hidden_size"));
        File.WriteAllText(tmp.Sub("config.json"), "{ not json");
        Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.ReadConfig(tmp.Path));
        File.WriteAllText(tmp.Sub("config.json"), new TinyCheckpointBuilder().ConfigJson().Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        var ex3 = Assert.Throws<CheckpointFormatException>(() => CheckpointLoader.ReadConfig(tmp.Path))!;
        Assert.That(ex3.Item, Is.EqualTo("num_key_value_heads"));
    }

    [Test]
    public void ConfigFieldsAreRead()
    {
        using var tmp = new TempDirectory();
        File.WriteAllText(tmp.Sub("config.json"), new TinyCheckpointBuilder { ModelType = "llama", HeadDim = 16, EosTokenIds = [2, 7], Llama3RopeScaling = true, TieWordEmbeddings = false }.ConfigJson());
        var c = CheckpointLoader.ReadConfig(tmp.Path);
        Assert.That(c.HeadDim, Is.EqualTo(16));
        Assert.That(c.EosTokenIds, Is.EqualTo(new[] { 2, 7 }));
        Assert.That(c.RopeScaling, Is.EqualTo(new RopeScaling("llama3", 8, 1, 4, 64)));
        Assert.That(c.QkvBias, Is.False);
        Assert.That(c.TieWordEmbeddings, Is.False);
        Assert.That(c.RopeTheta, Is.EqualTo(500000.0));
        File.WriteAllText(tmp.Sub("config.json"), new TinyCheckpointBuilder { ModelType = "qwen2" }.ConfigJson());
        var q = CheckpointLoader.ReadConfig(tmp.Path);
        Assert.That((q.QkvBias, q.OutputBias, q.QkNorm), Is.EqualTo((true, false, false)));
    }

    [Test]
    public void Qwen3ConfigFieldsAreRead()
    {
        using var tmp = new TempDirectory();
        // The Qwen3-0.6B pattern: head_dim 128 × 16 heads on hidden 1024, tied, no bias, two eos ids.
        var builder = new TinyCheckpointBuilder { ModelType = "qwen3", HiddenSize = 1024, Heads = 16, KvHeads = 8, HeadDim = 128, EosTokenIds = [2, 7] };
        var c = Accepted(tmp, builder.ConfigJson());
        Assert.That(c.ParameterCount, Is.EqualTo(builder.ExpectedTensors().Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b))), "q/k norms counted");
        Assert.That((c.ModelType, c.HeadDim, c.NumAttentionHeads, c.NumKeyValueHeads), Is.EqualTo(("qwen3", 128, 16, 8)));
        Assert.That((c.QkNorm, c.QkvBias, c.OutputBias, c.MlpBias, c.TieWordEmbeddings), Is.EqualTo((true, false, false, false, true)));
        Assert.That(c.EosTokenIds, Is.EqualTo(new[] { 2, 7 }));
        var biased = Accepted(tmp, new TinyCheckpointBuilder { ModelType = "qwen3", AttentionBias = true }.ConfigJson());
        Assert.That((biased.QkvBias, biased.OutputBias), Is.EqualTo((true, true)), "attention_bias honoured for q/k/v and o");
        var m = Accepted(tmp, new TinyCheckpointBuilder { ModelType = "mistral", AttentionBias = true }.ConfigJson());
        Assert.That((m.QkNorm, m.QkvBias, m.OutputBias, m.MlpBias), Is.EqualTo((false, false, false, false)), "mistral has no biases");
    }

    /// <summary>The config.json of Qwen/Qwen3-0.6B as released.</summary>
    private const string Qwen3_06BConfig = """
        {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 151643,
         "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "initializer_range": 0.02,
         "intermediate_size": 3072, "max_position_embeddings": 40960, "max_window_layers": 28, "model_type": "qwen3",
         "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8, "rms_norm_eps": 1e-06,
         "rope_scaling": null, "rope_theta": 1000000, "sliding_window": null, "tie_word_embeddings": true,
         "torch_dtype": "bfloat16", "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false,
         "vocab_size": 151936}
        """;

    /// <summary>The config.json of mistralai/Mistral-7B-v0.3 as released.</summary>
    private const string Mistral7BV03Config = """
        {"architectures": ["MistralForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 1, "eos_token_id": 2,
         "hidden_act": "silu", "hidden_size": 4096, "initializer_range": 0.02, "intermediate_size": 14336,
         "max_position_embeddings": 32768, "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32,
         "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 1000000.0, "sliding_window": null,
         "tie_word_embeddings": false, "torch_dtype": "bfloat16", "transformers_version": "4.42.0.dev0", "use_cache": true,
         "vocab_size": 32768}
        """;

    [Test]
    public void ReleasedQwen3AndMistralConfigsAreRead()
    {
        using var tmp = new TempDirectory();
        var q = Accepted(tmp, Qwen3_06BConfig);
        Assert.That((q.HeadDim, q.NumAttentionHeads, q.HiddenSize, q.QkNorm, q.QkvBias, q.TieWordEmbeddings), Is.EqualTo((128, 16, 1024, true, false, true)));
        Assert.That(q.ParameterCount, Is.EqualTo(596_049_920L), "0.6B: 0.44B without the embedding");
        var m = Accepted(tmp, Mistral7BV03Config);
        Assert.That((m.HeadDim, m.GroupSize, m.QkvBias, m.TieWordEmbeddings, m.RopeTheta), Is.EqualTo((128, 4, false, false, 1e6)));
        Assert.That(m.ParameterCount, Is.EqualTo(7_248_023_552L));
        // Mistral-7B-v0.1 attends through a window of 4096 of its 32768 positions: refused.
        var v01 = Refused(tmp, Mistral7BV03Config.Replace("\"sliding_window\": null", "\"sliding_window\": 4096"));
        Assert.That(v01.Key, Is.EqualTo("sliding_window"));
    }

    [TestCase("qwen3", true)]
    [TestCase("qwen3", false)]
    [TestCase("mistral", false)]
    public void CheckpointWriterRoundTripsQwen3AndMistral(string modelType, bool bias)
    {
        using var tmp = new TempDirectory();
        var builder = new TinyCheckpointBuilder { ModelType = modelType, HeadDim = 16, AttentionBias = bias, TieWordEmbeddings = !bias };
        using var model = CheckpointLoader.Load(builder.Write(tmp.Sub("a")), new ModelLoadOptions { DType = ScalarType.Float32 });
        CheckpointWriter.Save(model, tmp.Sub("b"));
        using var again = CheckpointLoader.Load(tmp.Sub("b"), new ModelLoadOptions { DType = ScalarType.Float32 });
        Assert.That(again.Config with { EosTokenIds = model.Config.EosTokenIds }, Is.EqualTo(model.Config));
        Assert.That(again.Config.EosTokenIds, Is.EqualTo(model.Config.EosTokenIds));
        using var scope = NewDisposeScope();
        var ids = Ids([5, 9, 17, 3, 80, 44]);
        using var ra = model.Forward(ids);
        using var rb = again.Forward(ids);
        Assert.That(ra.Logits!.eq(rb.Logits!).all().item<bool>(), Is.True);
    }

    [TestCase("float32", ScalarType.Float32)]
    [TestCase("bf16", ScalarType.BFloat16)]
    [TestCase("float16", ScalarType.Float16)]
    public void DTypeNamesParse(string name, ScalarType expected)
    {
        Assert.That(ModelLoadOptions.ParseDType(name), Is.EqualTo(expected));
        Assert.That(ModelLoadOptions.TryParseDType($" {name.ToUpperInvariant()} ", out var parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(expected));
    }

    [TestCase("int4")]
    [TestCase("")]
    [TestCase("float64")]
    public void UnknownDTypeNamesDoNotParse(string name)
    {
        Assert.That(ModelLoadOptions.TryParseDType(name, out _), Is.False);
        Assert.That(Assert.Throws<ArgumentException>(() => ModelLoadOptions.ParseDType(name))!.Message, Does.Contain($"'{name}'"));
    }

    [Test]
    public void DeviceStringsParse()
    {
        Assert.That(ModelLoadOptions.ParseDevice("cpu").type, Is.EqualTo(TorchSharp.DeviceType.CPU));
        Assert.Throws<ArgumentException>(() => ModelLoadOptions.ParseDevice("tpu"));
        Assert.Throws<ArgumentException>(() => ModelLoadOptions.ParseDType("int4"));
        if (!cuda.is_available()) Assert.Throws<NotSupportedException>(() => ModelLoadOptions.ParseDevice("cuda:0"));
    }
}
