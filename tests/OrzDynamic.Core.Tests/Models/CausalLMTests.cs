using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

public sealed class CausalLMTests
{
    private static readonly long[] Prompt = [5, 9, 17, 3, 80, 44, 12, 7, 61, 33, 2, 90];

    private static CausalLM Load(TempDirectory tmp, TinyCheckpointBuilder builder) =>
        CheckpointLoader.Load(builder.Write(tmp.Sub("ckpt")), new ModelLoadOptions { DType = ScalarType.Float32, Device = OrzDynamic.Tests.TestDevice.Name });

    private static IEnumerable<TestCaseData> Variants()
    {
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "qwen2" }).SetName("qwen2_tied_gqa");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "qwen2", TieWordEmbeddings = false, KvHeads = 4 }).SetName("qwen2_untied_mha");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "llama", Llama3RopeScaling = true, Heads = 4, KvHeads = 1, HeadDim = 16 }).SetName("llama_rope3_mqa_headdim16");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "qwen3", HeadDim = 16 }).SetName("qwen3_tied_gqa_headdim16");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "qwen3", TieWordEmbeddings = false, Heads = 6, KvHeads = 2, HiddenSize = 48, AttentionBias = true }).SetName("qwen3_untied_gqa_bias");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "mistral", TieWordEmbeddings = false, KvHeads = 1 }).SetName("mistral_untied_mqa");
    }

    [TestCaseSource(nameof(Variants))]
    public void MatchesIndependentFloat64Reference(TinyCheckpointBuilder builder)
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, builder);
        using var scope = NewDisposeScope();
        var expected = NaiveReference.Logits(model, Prompt).to(ScalarType.Float32).cpu();
        using var result = model.Forward(tensor(Prompt).view(1, -1));
        var err = (result.Logits![0].cpu() - expected).abs().max().item<float>();
        Assert.That(err, Is.LessThan(1e-4f));
    }

    [TestCaseSource(nameof(Variants))]
    public void KvCacheDecodingEqualsRecomputingThePrefix(TinyCheckpointBuilder builder)
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, builder);
        using var scope = NewDisposeScope();
        var seq = Prompt.Take(4).ToList();
        using var cache = model.CreateCache(1, 6); // deliberately small: forces the cache to grow
        using var first = model.Forward(tensor(seq.ToArray()).view(1, -1), cache: cache, logits: LogitsMode.LastPosition);
        var cached = first.Logits!.clone();
        for (var step = 0; step < 12; step++)
        {
            using var full = model.Forward(tensor(seq.ToArray()).view(1, -1), logits: LogitsMode.LastPosition);
            var err = (full.Logits! - cached).abs().max().item<float>();
            Assert.That(err, Is.LessThan(1e-4f), $"step {step}");
            var next = full.Logits!.argmax(-1).item<long>();
            Assert.That(cached.argmax(-1).item<long>(), Is.EqualTo(next), $"greedy id at step {step}");
            seq.Add(next);
            using var stepResult = model.Forward(tensor(new[] { next }).view(1, 1), cache: cache, logits: LogitsMode.LastPosition);
            cached = stepResult.Logits!.clone();
        }
        Assert.That(cache.Length, Is.EqualTo(seq.Count));
        Assert.That(cache.Capacity, Is.GreaterThanOrEqualTo(seq.Count));
    }

    [Test]
    public void LeftPaddedBatchEqualsOnePromptAtATime()
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, new TinyCheckpointBuilder { ModelType = "qwen2" });
        using var scope = NewDisposeScope();
        long[][] prompts = [[5, 9, 17], [3, 80, 44, 12, 7, 61, 33], [90, 1, 2, 4, 8]];
        var maxLen = prompts.Max(p => p.Length);
        var ids = zeros(prompts.Length, maxLen, ScalarType.Int64);
        var mask = zeros(prompts.Length, maxLen, ScalarType.Int64);
        for (var r = 0; r < prompts.Length; r++)
        {
            var off = maxLen - prompts[r].Length;
            ids[r].narrow(0, off, prompts[r].Length).copy_(tensor(prompts[r]));
            mask[r].narrow(0, off, prompts[r].Length).fill_(1);
        }
        using var batched = model.Forward(ids, mask);
        for (var r = 0; r < prompts.Length; r++)
        {
            using var single = model.Forward(tensor(prompts[r]).view(1, -1));
            var off = maxLen - prompts[r].Length;
            var err = (batched.Logits![r].narrow(0, off, prompts[r].Length) - single.Logits![0]).abs().max().item<float>();
            Assert.That(err, Is.LessThan(1e-4f), $"row {r}");
        }
        Assert.That(batched.Logits!.isfinite().all().item<bool>(), Is.True, "padded positions stay finite");
    }

    [Test]
    public void ExplicitPositionsAndLogitModesAgree()
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, new TinyCheckpointBuilder { ModelType = "llama" });
        using var scope = NewDisposeScope();
        var ids = tensor(Prompt).view(1, -1);
        using var all = model.Forward(ids, returnHiddenStates: true);
        using var last = model.Forward(ids, positions: arange(0, Prompt.Length, ScalarType.Int64).view(1, -1), logits: LogitsMode.LastPosition);
        using var none = model.Forward(ids, logits: LogitsMode.None, returnHiddenStates: true);
        Assert.That((all.Logits![0, -1] - last.Logits![0]).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(none.Logits, Is.Null);
        Assert.That(none.HiddenStates!.shape, Is.EqualTo(new long[] { 1, Prompt.Length, 32 }));
        Assert.That((model.ComputeLogits(none.HiddenStates!) - all.Logits!).abs().max().item<float>(), Is.LessThan(1e-5f));
        // RoPE is relative: a uniform shift changes nothing, stretched positions do.
        using var shifted = model.Forward(ids, positions: arange(3, 3 + Prompt.Length, ScalarType.Int64).view(1, -1));
        Assert.That((shifted.Logits! - all.Logits!).abs().max().item<float>(), Is.LessThan(1e-4f));
        using var stretched = model.Forward(ids, positions: arange(0, 2 * Prompt.Length, 2, ScalarType.Int64).view(1, -1));
        Assert.That((stretched.Logits! - all.Logits!).abs().max().item<float>(), Is.GreaterThan(1e-3f));
    }

    [Test]
    public void Llama3RopeScalingFollowsTheHuggingFaceFormula()
    {
        // head_dim 8, theta 500000, factor 8, low 1, high 4, original 64: low_wavelen 64, high_wavelen 16.
        var config = ModelConfigReader.Parse(System.Text.Encoding.UTF8.GetBytes(new TinyCheckpointBuilder { ModelType = "llama", Llama3RopeScaling = true, Heads = 4, HiddenSize = 32 }.ConfigJson()), "inline");
        var inv = RotaryEmbedding.ComputeInverseFrequencies(config);
        var plain = Enumerable.Range(0, 4).Select(i => 1.0 / Math.Pow(500000.0, 2.0 * i / 8)).ToArray();
        // i=0: wavelen 2π < 16 → unchanged. i=1: wavelen ≈ 166 > 64 → /8. i=2, 3: even longer → /8.
        Assert.That(inv[0], Is.EqualTo(plain[0]).Within(1e-6));
        Assert.That(inv[1], Is.EqualTo(plain[1] / 8).Within(1e-9));
        Assert.That(inv[3], Is.EqualTo(plain[3] / 8).Within(1e-12));
        var mid = new ModelConfig
        {
            ModelType = "llama", VocabSize = 8, HiddenSize = 8, IntermediateSize = 8, NumHiddenLayers = 1, NumAttentionHeads = 1,
            NumKeyValueHeads = 1, HeadDim = 8, RopeTheta = 100, RopeScaling = new RopeScaling("llama3", 8, 1, 4, 64),
        };
        // theta 100: i=1 → inv 0.3162, wavelen 19.87 ∈ [16, 64] → smoothed: s = (64/19.87 − 1)/3 = 0.7404, inv·((1−s)/8 + s).
        var midInv = RotaryEmbedding.ComputeInverseFrequencies(mid);
        var f = 1 / Math.Sqrt(10);
        var s = (64 / (2 * Math.PI / f) - 1) / 3;
        Assert.That(midInv[1], Is.EqualTo((1 - s) * f / 8 + s * f).Within(1e-6));
    }
}
