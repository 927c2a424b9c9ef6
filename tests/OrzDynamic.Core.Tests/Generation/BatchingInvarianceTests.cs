using NUnit.Framework;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Tests;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Generation;

/// <summary>
/// A sample's answer does not depend on how it is batched: batch 1, static batches of 4 and continuous batching (few
/// slots, so that slots are refilled, and a small compaction slack, so that the cache is compacted) give the same ids.
/// </summary>
public sealed class BatchingInvarianceTests
{
    private static GenerationRequest[] Requests(long vocab, int count, int seed, int minLen, int maxLen, int? firstId = null)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var len = rng.Next(minLen, maxLen + 1);
            var ids = Enumerable.Range(0, len).Select(_ => rng.Next(3, (int)vocab)).ToArray();
            if (firstId is int f) ids[0] = f;
            return new GenerationRequest(ids, 1000 + i, MaxNewTokens: rng.Next(2, 40));
        }).ToArray();
    }

    /// <summary>(batch 1, static batches of 4, continuous with 3 slots) token ids per request.</summary>
    internal static (List<IReadOnlyList<int>> One, List<IReadOnlyList<int>> Four, List<IReadOnlyList<int>> Continuous, ContinuousBatchGenerator Cont)
        RunAll(CausalLM model, IReadOnlyList<GenerationRequest> requests, GenerationOptions options, int slots = 3, int slack = 5)
    {
        var gen = new TextGenerator(model);
        var one = requests.Select(r => gen.Generate([r], options)[0].TokenIds).ToList();
        var four = requests.Chunk(4).SelectMany(c => gen.Generate(c, options)).Select(r => r.TokenIds).ToList();
        var cont = new ContinuousBatchGenerator(model, slots, compactionSlack: slack);
        var byIndex = new IReadOnlyList<int>[requests.Count];
        var order = new List<int>();
        foreach (var (i, r) in cont.Generate(requests, options))
        {
            Assert.That(byIndex[i], Is.Null, $"request {i} yielded twice");
            byIndex[i] = r.TokenIds;
            order.Add(i);
            Assert.That(r.PromptLength, Is.EqualTo(requests[i].PromptIds.Count));
        }
        Assert.That(byIndex, Has.All.Not.Null);
        return (one, four, byIndex.ToList(), cont);
    }

    private static int Differing(List<IReadOnlyList<int>> a, List<IReadOnlyList<int>> b) => a.Zip(b).Count(p => !p.First.SequenceEqual(p.Second));

    /// <summary>
    /// A tiny checkpoint of <paramref name="modelType"/>: qwen2 as before; qwen3 with head_dim 16 on width 32 / 4 heads
    /// (q/k norms, no bias, tied embeddings, grouped-query attention).
    /// </summary>
    private static CausalLM LoadTiny(TempDirectory tmp, string modelType, ScalarType dtype)
    {
        var builder = new TinyCheckpointBuilder { ModelType = modelType, EosTokenIds = [95], HeadDim = modelType == "qwen3" ? 16 : null };
        return CheckpointLoader.Load(builder.Write(tmp.Sub("ckpt")), new ModelLoadOptions { DType = dtype });
    }

    [TestCase("qwen2", ScalarType.Float32)]
    [TestCase("qwen3", ScalarType.Float32)]
    [TestCase("qwen3", ScalarType.BFloat16)]
    public void TinyModel_GreedyIdsAreIdenticalAtBatch1Batch4AndContinuous(string modelType, ScalarType dtype)
    {
        using var tmp = new TempDirectory();
        using var model = LoadTiny(tmp, modelType, dtype);
        var requests = Requests(model.Config.VocabSize, 11, 5, 1, 12);
        // Make two frequent greedy tokens stop tokens so that some answers end by eos, others by their cap.
        var free = new TextGenerator(model).Generate(requests, new GenerationOptions { MaxNewTokens = 40, EosTokenIds = [] });
        var eos = free.SelectMany(r => r.TokenIds.Skip(3).Take(1)).Take(2).ToArray();
        var options = new GenerationOptions { MaxNewTokens = 40, EosTokenIds = eos };
        var (one, four, cont, g) = RunAll(model, requests, options);
        TestContext.Out.WriteLine($"lengths {string.Join(",", one.Select(x => x.Count))}; {g.LastSteps} continuous steps, {g.LastCompactions} compactions");
        Assert.That(four, Is.EqualTo(one), "static batch 4 vs batch 1");
        Assert.That(cont, Is.EqualTo(one), "continuous vs batch 1");
        Assert.That(g.LastCompactions, Is.GreaterThan(0), "the test should exercise compaction");
        Assert.That(one.Any(x => eos.Contains(x[^1])) && one.Any(x => !eos.Contains(x[^1])), "both eos and cap endings exercised");
    }

    [TestCase("qwen2", ScalarType.Float32)]
    [TestCase("qwen3", ScalarType.Float32)]
    [TestCase("qwen3", ScalarType.BFloat16)]
    public void TinyModel_SampledAnswersUsePerSampleSeeds_IdenticalAcrossBatchings(string modelType, ScalarType dtype)
    {
        using var tmp = new TempDirectory();
        using var model = LoadTiny(tmp, modelType, dtype);
        var requests = Requests(model.Config.VocabSize, 10, 9, 1, 10);
        var options = new GenerationOptions { MaxNewTokens = 40, Temperature = 1.0, TopK = 50, TopP = 0.95 };
        var (one, four, cont, _) = RunAll(model, requests, options);
        Assert.That(four, Is.EqualTo(one), "static batch 4 vs batch 1");
        Assert.That(cont, Is.EqualTo(one), "continuous vs batch 1");
        // The seed is the sample's: another seed changes the answer.
        var other = new TextGenerator(model).Generate([requests[0] with { Seed = 77 }], options)[0].TokenIds;
        Assert.That(other, Is.Not.EqualTo(one[0]));
    }

    [Test]
    public void Stories260K_GreedyIdsAreIdenticalAtBatch1Batch4AndContinuous()
    {
        var dir = SharedData.PathOrIgnore("models/stories260K");
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        var requests = Requests(model.Config.VocabSize, 10, 3, 2, 16, firstId: 1).Select(r => r with { MaxNewTokens = 48 + (int)(r.Seed % 5) * 10 }).ToArray();
        var (one, four, cont, g) = RunAll(model, requests, new GenerationOptions { MaxNewTokens = 96 }, slots: 4, slack: 16);
        TestContext.Out.WriteLine($"lengths {string.Join(",", one.Select(x => x.Count))}; eos endings {one.Count(x => x[^1] == 2)}; {g.LastSteps} steps, {g.LastCompactions} compactions; " +
            $"differing: batch4 {Differing(one, four)}, continuous {Differing(one, cont)}");
        Assert.That(four, Is.EqualTo(one), "static batch 4 vs batch 1");
        Assert.That(cont, Is.EqualTo(one), "continuous vs batch 1");
    }

    [Test]
    public void ContinuousRejectsBadPromptsAtOnce()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder().Write(tmp.Sub("ckpt"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        var g = new ContinuousBatchGenerator(model, 2);
        Assert.Throws<ArgumentException>(() => g.Generate([new GenerationRequest([], 0)], new GenerationOptions()));
        Assert.Throws<ArgumentException>(() => g.Generate([new GenerationRequest([5, 999], 0)], new GenerationOptions()));
        Assert.That(g.Generate([], new GenerationOptions()), Is.Empty);
    }
}
