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
        var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32, Device = TestDevice.Name });
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
        var maxErr = (result.Logits!.cpu() - expected).abs().max().item<float>();
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

/// <summary>bfloat16 inference of the real trained stories260K checkpoint against the float32 reference.</summary>
public sealed class StoriesBf16Tests
{
    [Test]
    public void Bf16LogitsAndTokenLogProbsStayWithinStatedTolerance()
    {
        var dir = SharedData.PathOrIgnore("models/stories260K");
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.BFloat16 });
        using var r = SafeTensorsFile.Open(Path.Combine(dir, "reference_logits.safetensors"));
        using var scope = NewDisposeScope();
        var ids = r.Load("input_ids_2").view(1, -1);
        var expected = r.Load("logits_2").view(1, ids.shape[1], -1);
        using var result = model.Forward(ids);
        var diff = (result.Logits! - expected).abs();
        var lpA = result.Logits!.log_softmax(-1).narrow(1, 0, 255).gather(-1, ids.narrow(1, 1, 255).unsqueeze(-1));
        var lpE = expected.log_softmax(-1).narrow(1, 0, 255).gather(-1, ids.narrow(1, 1, 255).unsqueeze(-1));
        var tokenLp = (lpA - lpE).abs();
        var sumDiff = Math.Abs(lpA.sum().item<float>() - lpE.sum().item<float>());
        var agree = result.Logits!.argmax(-1).eq(expected.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        TestContext.Out.WriteLine($"bf16 vs reference: max |Δlogit| {diff.max().item<float>():F4}, mean {diff.mean().item<float>():F4}, logit std {expected.std().item<float>():F3}; " +
            $"per-token |Δ log p(label)| max {tokenLp.max().item<float>():F4} mean {tokenLp.mean().item<float>():F4}; |Δ Σ log p| {sumDiff:F4} of {lpE.sum().item<float>():F2}; argmax agreement {100 * agree:F1}%");
        // Stated bf16 tolerance (measured: max 1.9, mean per-token 0.18 nats, 87.5% argmax agreement on this dim-64
        // float32-trained model; this is why float32 stays the CPU default, see RESULTS-model.md).
        Assert.That(diff.max().item<float>(), Is.LessThan(3f));
        Assert.That(tokenLp.mean().item<float>(), Is.LessThan(0.3f));
        Assert.That(agree, Is.GreaterThan(0.8f));
    }
}
