using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Tests;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Reliability;

/// <summary>Library-level checks behind the issue-14 CLI tests.</summary>
public sealed class ReliabilityUnitTests
{
    [Test]
    public void Sampler_NonFiniteRows_TakeTheGreedyChoice_OtherRowsUnchanged()
    {
        var sampler = new TokenSampler(new GenerationOptions { Temperature = 0.8, TopP = 0.9 });
        using var clean = tensor(new float[] { 0.1f, 2f, 0.3f, 1f, 0.5f, 0.2f }, [2, 3]);
        using var dirty = tensor(new float[] { 0.1f, 2f, 0.3f, float.NaN, 0.5f, float.PositiveInfinity }, [2, 3]);
        using var g1 = new Generator(5);
        using var g2 = new Generator(5);
        using var a = sampler.Next(clean, g1);
        Assert.That(sampler.NonFiniteRows, Is.EqualTo(0));
        using var b = sampler.Next(dirty, g2);
        Assert.That(sampler.NonFiniteRows, Is.EqualTo(1));
        Assert.That(b[0].item<long>(), Is.EqualTo(a[0].item<long>()), "the finite row draws as before");
        using var greedy = dirty[1].argmax();
        Assert.That(b[1].item<long>(), Is.EqualTo(greedy.item<long>()));
    }

    [Test]
    public void Generator_StopsAtTheModelsPositions_HugeMaxNewTokensNeedsNoBigCache()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { EosTokenIds = [95], MaxPositionEmbeddings = 20 }.Write(tmp.Sub("ckpt"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        var gen = new TextGenerator(model);
        var results = gen.Generate([[1, 2, 3, 4, 5], [1, 2]], new GenerationOptions { MaxNewTokens = int.MaxValue, EosTokenIds = [] });
        Assert.That(results[0].TokenIds, Has.Count.EqualTo(15));
        Assert.That(results[1].TokenIds, Has.Count.EqualTo(18));
        Assert.That(results.All(r => r.FinishReason == FinishReason.ContextLimit), Is.True);
        Assert.Throws<ArgumentException>(() => gen.Generate([Enumerable.Range(1, 20).ToArray()], new GenerationOptions { MaxNewTokens = 4 }));
    }

    [Test]
    public void KvCache_GrowthStopsAtTheCapacityLimit_ButAlwaysFitsThePass()
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 10, HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 4,
        };
        using var cache = new KvCache(config, 1, 4, ScalarType.Float32, CPU) { CapacityLimit = 6 };
        using var kv = zeros([1, 1, 3, 4]);
        cache.Append(0, kv, kv);
        cache.Advance(3);
        cache.Append(0, kv, kv);   // needs 6: doubling would give 8, the limit keeps it at 6
        cache.Advance(3);
        Assert.That(cache.Capacity, Is.EqualTo(6));
        cache.Append(0, kv, kv);   // beyond the limit: exactly what the pass needs
        Assert.That(cache.Capacity, Is.EqualTo(9));
    }

    [Test]
    public void Limits_CapGenerateMaxLen_AndRefuseAKvCacheBeyondMemory()
    {
        var model = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 100, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 24,
            NumAttentionHeads = 14, NumKeyValueHeads = 2, HeadDim = 64, MaxPositionEmbeddings = 32768,
        };
        var config = new EvaluatorConfig { GenerateMaxLen = int.MaxValue, BatchSize = 8, PromptMaxLen = 2048 };
        var limits = GenerationLimits.Resolve(config, model, ScalarType.Float32, NullLogger.Instance, availableBytes: 1L << 40);
        Assert.That(limits.MaxNewTokens, Is.EqualTo(32767));
        Assert.That(limits.PromptMaxLen, Is.EqualTo(2048));
        // 2 (k, v) × 24 layers × 2 heads × 64 × 4 bytes × 8 rows × (2048 + 32767) positions
        Assert.That(limits.WorstCaseKvBytes, Is.EqualTo(2.0 * 24 * 2 * 64 * 4 * 8 * (2048 + 32767)));
        var ex = Assert.Throws<EvaluatorConfigException>(() =>
            GenerationLimits.Resolve(config, model, ScalarType.Float32, NullLogger.Instance, availableBytes: 1L << 30));
        Assert.That(ex!.Message, Does.Contain("KV cache of up to 6.4 GiB").And.Contain("1.0 GiB"));
        var small = GenerationLimits.Resolve(config with { PromptMaxLen = 40000 }, model with { MaxPositionEmbeddings = 512 }, ScalarType.BFloat16,
            NullLogger.Instance, availableBytes: 1L << 30);
        Assert.That((small.MaxNewTokens, small.PromptMaxLen, small.MaxPositions), Is.EqualTo((511, 511, 512)));
    }

    [Test]
    public void AtomicFile_FailedWriteKeepsTheOldFile_AndLeavesNoTemporary()
    {
        using var tmp = new TempDirectory();
        var path = Path.Combine(tmp.Path, "summary.json");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte((byte)'n');
            throw new InvalidOperationException("simulated crash while writing");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        AtomicFile.WriteAllLines(path, ["a", "b"]);
        Assert.That(File.ReadAllText(path), Is.EqualTo("a\nb\n"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "dir.json"));
        Assert.Throws<ResultsFileException>(() => AtomicFile.WriteAllText(Path.Combine(tmp.Path, "dir.json"), "x"));
    }

    [Test]
    public void Manifest_ReplacedWithoutResults_RefusedBesideResults_OneLineDifferences()
    {
        using var tmp = new TempDirectory();
        new RunManifest().With("seed", 1).WriteOrVerify(tmp.Path, hasResults: false);
        Assert.That(() => new RunManifest().With("seed", 2).WriteOrVerify(tmp.Path, hasResults: false), Throws.Nothing);
        var ex = Assert.Throws<ResultsFileException>(() => new RunManifest().With("seed", 3).With("x", 1).WriteOrVerify(tmp.Path, hasResults: true));
        Assert.That(ex!.Message, Does.Contain("seed: '2' before, '3' now; x: '(absent)' before, '1' now").And.Not.Contain("\n"));
        File.WriteAllText(Path.Combine(tmp.Path, OutputLayout.Manifest), "");
        Assert.Throws<ResultsFileException>(() => new RunManifest().With("seed", 3).WriteOrVerify(tmp.Path, hasResults: true));
        new RunManifest().With("seed", 3).WriteOrVerify(tmp.Path, hasResults: false);
        Assert.That(File.ReadAllText(Path.Combine(tmp.Path, OutputLayout.Manifest)), Does.Contain("\"seed\": \"3\""));
    }

    [Test]
    public void Journal_HasRecords_OnlyForCompleteLines()
    {
        using var tmp = new TempDirectory();
        var path = Path.Combine(tmp.Path, "results.jsonl");
        Assert.That(ResultsJournal.HasRecords(path), Is.False);
        File.WriteAllText(path, "");
        Assert.That(ResultsJournal.HasRecords(path), Is.False);
        File.WriteAllText(path, "{\"dataset\":\"a\",\"ind");
        Assert.That(ResultsJournal.HasRecords(path), Is.False, "a torn first line is not a result");
        File.WriteAllText(path, "\n  \n{\"dataset\":\"a\",\"index\":0}\n");
        Assert.That(ResultsJournal.HasRecords(path), Is.True);
        Directory.CreateDirectory(Path.Combine(tmp.Path, "d.jsonl"));
        Assert.Throws<ResultsFileException>(() => ResultsJournal.Open(Path.Combine(tmp.Path, "d.jsonl")));
    }
}
