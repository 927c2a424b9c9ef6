using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Metrics.SafeTensors;
using OrzDynamic.Tests;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>The real trained stories260K checkpoint against llama2.c's PyTorch reference logits.</summary>
public sealed class StoriesReferenceTests
{
    private static (CausalLM Model, SafeTensorsFile Reference) Open()
    {
        var dir = SharedData.PathOrIgnore("models/stories260K");
        var refPath = SharedData.PathOrIgnore("models/stories260K/reference_logits.safetensors");
        var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        return (model, SafeTensorsFile.Open(refPath));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void LogitsMatchReferenceWithin1e3(int i)
    {
        var (model, reference) = Open();
        using var m = model;
        using var r = reference;
        using var scope = NewDisposeScope();
        var ids = r.Load($"input_ids_{i}").to(ScalarType.Int64).view(1, -1);
        var expected = r.Load($"logits_{i}").to(ScalarType.Float32).view(1, ids.shape[1], -1);
        using var result = m.Forward(ids);
        var maxErr = (result.Logits! - expected).abs().max().item<float>();
        TestContext.Out.WriteLine($"input {i}: T={ids.shape[1]} max |Δlogit| = {maxErr:E3}");
        Assert.That(maxErr, Is.LessThan(1e-3f));
    }

    [Test]
    public void ConfigIsReadAsLlama()
    {
        var dir = SharedData.PathOrIgnore("models/stories260K");
        var c = CheckpointLoader.ReadConfig(dir);
        Assert.That(c.ModelType, Is.EqualTo("llama"));
        Assert.That(c.HeadDim, Is.EqualTo(8));
        Assert.That(c.GroupSize, Is.EqualTo(2));
        Assert.That(c.TieWordEmbeddings, Is.True);
        Assert.That(c.EosTokenIds, Is.EqualTo(new[] { 2 }));
        Assert.That(c.BosTokenId, Is.EqualTo(1));
    }
}
