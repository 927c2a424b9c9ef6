using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Trainer.Training;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Demo;

[TestFixture]
public sealed class CheckpointWriterTests
{
    internal static ModelConfig TinyConfig(bool tie = true) => new()
    {
        ModelType = "qwen2",
        VocabSize = 40,
        HiddenSize = 16,
        IntermediateSize = 24,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 4,
        TieWordEmbeddings = tie,
        QkvBias = true,
        EosTokenIds = [3],
        RopeTheta = 10000,
    };

    [TestCase(true)]
    [TestCase(false)]
    public void Save_ThenLoad_GivesIdenticalWeightsConfigAndLogits(bool tie)
    {
        using var dir = new TempDirectory();
        var config = TinyConfig(tie);
        using var model = new CausalLM(config, ScalarType.Float32, CPU);
        WeightInitializer.Initialize(model, seed: 7, std: 0.2);
        CheckpointWriter.Save(model, dir.Path, padTokenId: 3);

        using var loaded = CheckpointLoader.Load(dir.Path);
        Assert.That(loaded.Config with { TorchDType = null }, Is.EqualTo(config with { TorchDType = null }).Using<ModelConfig>(SameArchitecture));
        var expected = model.NamedWeights().ToDictionary(w => w.Name, w => w.Parameter);
        var actual = loaded.NamedWeights();
        Assert.That(actual.Select(w => w.Name), Is.EquivalentTo(expected.Keys));
        foreach (var (name, p) in actual)
            Assert.That(p.eq(expected[name]).all().item<bool>(), Is.True, name);

        using var ids = tensor(new long[] { 1, 5, 9, 2, 30, 7 }, [1, 6]);
        using var a = model.Forward(ids).Logits!;
        using var b = loaded.Forward(ids).Logits!;
        Assert.That(a.eq(b).all().item<bool>(), Is.True);

        using var gen = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, CheckpointWriter.GenerationConfigFileName)));
        Assert.That(gen.RootElement.GetProperty("eos_token_id").GetInt32(), Is.EqualTo(3));
        Assert.That(gen.RootElement.GetProperty("pad_token_id").GetInt32(), Is.EqualTo(3));
        using var cfg = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json")));
        Assert.That(cfg.RootElement.GetProperty("model_type").GetString(), Is.EqualTo("qwen2"));
        Assert.That(cfg.RootElement.GetProperty("torch_dtype").GetString(), Is.EqualTo("float32"));
    }

    [Test]
    public void Save_AsBFloat16_StoresHalfTheBytesAndLoadsWithinRounding()
    {
        using var dir32 = new TempDirectory();
        using var dir16 = new TempDirectory();
        using var model = new CausalLM(TinyConfig(), ScalarType.Float32, CPU);
        WeightInitializer.Initialize(model, seed: 3);
        CheckpointWriter.Save(model, dir32.Path);
        CheckpointWriter.Save(model, dir16.Path, ScalarType.BFloat16);
        var size32 = new FileInfo(Path.Combine(dir32.Path, CheckpointLoader.SingleFileName)).Length;
        var size16 = new FileInfo(Path.Combine(dir16.Path, CheckpointLoader.SingleFileName)).Length;
        Assert.That(size16, Is.LessThan(size32 * 0.6));
        using var loaded = CheckpointLoader.Load(dir16.Path, new ModelLoadOptions { DType = ScalarType.Float32 });
        var expected = model.NamedWeights().ToDictionary(w => w.Name, w => w.Parameter);
        Assert.That(loaded.NamedWeights().Select(w => w.Name), Is.EquivalentTo(expected.Keys));
        foreach (var (name, p) in loaded.NamedWeights())
            Assert.That(p.allclose(expected[name], rtol: 1e-2, atol: 1e-4), Is.True, name);
    }

    [Test]
    public void Save_RejectsIntegerStorage() =>
        Assert.That(() =>
        {
            using var dir = new TempDirectory();
            using var model = new CausalLM(TinyConfig(), ScalarType.Float32, CPU);
            CheckpointWriter.Save(model, dir.Path, ScalarType.Int32);
        }, Throws.TypeOf<NotSupportedException>().With.Message.Contains("Int32"));

    private static bool SameArchitecture(ModelConfig x, ModelConfig y) =>
        x.ModelType == y.ModelType && x.VocabSize == y.VocabSize && x.HiddenSize == y.HiddenSize && x.IntermediateSize == y.IntermediateSize
        && x.NumHiddenLayers == y.NumHiddenLayers && x.NumAttentionHeads == y.NumAttentionHeads && x.NumKeyValueHeads == y.NumKeyValueHeads
        && x.HeadDim == y.HeadDim && x.TieWordEmbeddings == y.TieWordEmbeddings && x.QkvBias == y.QkvBias && x.RopeTheta == y.RopeTheta
        && x.RmsNormEps == y.RmsNormEps && x.EosTokenIds.SequenceEqual(y.EosTokenIds) && x.BosTokenId == y.BosTokenId;
}
