using System.Runtime.CompilerServices;
using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Metrics.SafeTensors;
using static TorchSharp.torch;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>
/// Qwen3 and Mistral checkpoints written by an independent NumPy port of transformers' forward pass
/// (Models/Reference/qwen3_reference.py, which also wrote the expected float64 logits, stored as float32) against this
/// library: the full prompt in one pass, and the same prompt fed through the KV cache one token at a time (the
/// decoding-step kernels, and libtorch with them off).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class HfReferenceParityTests
{
    private const float Tolerance = 1e-3f;

    private static string CaseDirectory(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Reference", name);

    private static readonly string[] Cases = ["qwen3_tied_headdim16", "qwen3_untied_gqa_bias", "mistral_untied_mqa"];

    private static (long[] Ids, Tensor Logits) Expected(string directory)
    {
        using var file = SafeTensorsFile.Open(Path.Combine(directory, "expected.safetensors"));
        using var ids = file.Load("input_ids", ScalarType.Int64);
        return (ids.data<long>().ToArray(), file.Load("logits", ScalarType.Float32));
    }

    private static CausalLM Load(string directory, ScalarType dtype = ScalarType.Float32) =>
        CheckpointLoader.Load(directory, new ModelLoadOptions { DType = dtype, Device = "cpu" });

    private static float MaxError(Tensor a, Tensor b)
    {
        using var diff = (a - b).abs();
        return diff.max().item<float>();
    }

    [Test]
    public void TheCheckpointsHaveTheShapesTheyAreMeantToTest()
    {
        using var tied = Load(CaseDirectory(Cases[0]));
        Assert.That(tied.Config, Has.Property(nameof(ModelConfig.ModelType)).EqualTo("qwen3")
            .And.Property(nameof(ModelConfig.HeadDim)).EqualTo(16).And.Property(nameof(ModelConfig.TieWordEmbeddings)).True
            .And.Property(nameof(ModelConfig.QkNorm)).True.And.Property(nameof(ModelConfig.QkvBias)).False);
        Assert.That(tied.Config.HeadDim * tied.Config.NumAttentionHeads, Is.Not.EqualTo(tied.Config.HiddenSize));
        using var gqa = Load(CaseDirectory(Cases[1]));
        Assert.That(gqa.Config, Has.Property(nameof(ModelConfig.TieWordEmbeddings)).False.And.Property(nameof(ModelConfig.GroupSize)).EqualTo(3)
            .And.Property(nameof(ModelConfig.QkvBias)).True.And.Property(nameof(ModelConfig.OutputBias)).True);
        using var mistral = Load(CaseDirectory(Cases[2]));
        Assert.That(mistral.Config, Has.Property(nameof(ModelConfig.ModelType)).EqualTo("mistral").And.Property(nameof(ModelConfig.QkNorm)).False
            .And.Property(nameof(ModelConfig.QkvBias)).False.And.Property(nameof(ModelConfig.NumKeyValueHeads)).EqualTo(1));
        Assert.That(mistral.NamedWeights().Select(w => w.Name), Has.None.Contains("bias").And.None.Contains("q_norm"));
    }

    [TestCaseSource(nameof(Cases))]
    public void FullPassMatchesTheNumPyReference(string name)
    {
        using var scope = NewDisposeScope();
        var directory = CaseDirectory(name);
        var (ids, expected) = Expected(directory);
        using var _ = expected;
        using var model = Load(directory);
        using var input = tensor(ids).view(1, -1);
        using var result = model.Forward(input);
        var err = MaxError(result.Logits![0], expected);
        TestContext.Out.WriteLine($"{name}: max |logit − reference| = {err:E2}");
        Assert.That(err, Is.LessThan(Tolerance));
    }

    [Test]
    public void CachedDecodingMatchesTheNumPyReference([ValueSource(nameof(Cases))] string name, [Values] bool kernels)
    {
        using var scope = NewDisposeScope();
        var directory = CaseDirectory(name);
        var (ids, expected) = Expected(directory);
        using var _ = expected;
        using var model = Load(directory);
        DecodeKernels.Enabled = kernels;
        try
        {
            const int prefill = 3;
            using var cache = model.CreateCache(1, 4); // small: the cache grows on the way
            using (var prompt = tensor(ids.Take(prefill).ToArray()).view(1, -1))
            using (var first = model.Forward(prompt, cache: cache))
                Assert.That(MaxError(first.Logits![0], expected.narrow(0, 0, prefill)), Is.LessThan(Tolerance), "prefill");
            for (var t = prefill; t < ids.Length; t++)
            {
                using var step = tensor(new[] { ids[t] }).view(1, 1);
                using var result = model.Forward(step, cache: cache, logits: LogitsMode.LastPosition);
                Assert.That(MaxError(result.Logits![0], expected[t]), Is.LessThan(Tolerance), $"position {t}");
            }
        }
        finally
        {
            DecodeKernels.Enabled = true;
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void BFloat16DecodingStaysCloseToTheReference(string name)
    {
        // bfloat16 weights and activations (the default generation dtype): the decoding kernels' rounding, not exactness.
        using var scope = NewDisposeScope();
        var directory = CaseDirectory(name);
        var (ids, expected) = Expected(directory);
        using var _ = expected;
        using var model = Load(directory, ScalarType.BFloat16);
        using var cache = model.CreateCache(1, ids.Length);
        using (var prompt = tensor(ids.Take(2).ToArray()).view(1, -1))
        using (model.Forward(prompt, cache: cache, logits: LogitsMode.None)) { }
        var agree = 0;
        for (var t = 2; t < ids.Length; t++)
        {
            using var step = tensor(new[] { ids[t] }).view(1, 1);
            using var result = model.Forward(step, cache: cache, logits: LogitsMode.LastPosition);
            Assert.That(MaxError(result.Logits![0], expected[t]), Is.LessThan(0.25f), $"position {t}");
            if (result.Logits![0].argmax().item<long>() == expected[t].argmax().item<long>()) agree++;
        }
        Assert.That(agree, Is.GreaterThanOrEqualTo(ids.Length - 2 - 2), "greedy ids agree at almost every position");
    }
}
