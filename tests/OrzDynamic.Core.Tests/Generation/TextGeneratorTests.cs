using NUnit.Framework;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Tests;
using OrzDynamic.Metrics.SafeTensors;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Generation;

public sealed class TextGeneratorTests : TinyModelTests
{
    /// <summary>Greedy decoding by recomputing the whole prefix every step (no cache).</summary>
    private static List<int> GreedyByRecomputation(CausalLM model, IReadOnlyList<int> prompt, int steps, ISet<int>? eos = null)
    {
        var seq = prompt.Select(i => (long)i).ToList();
        var output = new List<int>();
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            using var r = model.Forward(tensor(seq.ToArray()).view(1, -1), logits: LogitsMode.LastPosition);
            var next = (int)r.Logits!.argmax(-1).item<long>();
            output.Add(next);
            seq.Add(next);
            if (eos?.Contains(next) == true) break;
        }
        return output;
    }

    [Test]
    public void GreedyBatchedEqualsRecomputationOnePromptAtATime()
    {
        int[][] prompts = [[5, 9, 17], [3, 80, 44, 12, 7, 61, 33], [90], [1, 2, 4, 8, 16]];
        var results = new TextGenerator(Model).Generate(prompts, new GenerationOptions { MaxNewTokens = 10 });
        for (var r = 0; r < prompts.Length; r++)
        {
            Assert.That(results[r].TokenIds, Is.EqualTo(GreedyByRecomputation(Model, prompts[r], 10)), $"row {r}");
            Assert.That(results[r].PromptLength, Is.EqualTo(prompts[r].Length));
            Assert.That(results[r].FinishReason, Is.EqualTo(FinishReason.MaxNewTokens));
        }
    }

    [Test]
    public void RowsStopIndependentlyOnAnyEosId()
    {
        int[][] prompts = [[5, 9, 17], [3, 80, 44, 12]];
        var free = new TextGenerator(Model).Generate(prompts, new GenerationOptions { MaxNewTokens = 8 });
        // Make row 0's third token and row 1's fifth token stop tokens (if they differ from earlier tokens of the rows).
        var eos0 = free[0].TokenIds[2];
        var eos1 = free[1].TokenIds[4];
        var stops = new[] { eos0, eos1 };
        var results = new TextGenerator(Model).Generate(prompts, new GenerationOptions { MaxNewTokens = 8, EosTokenIds = stops },
            decode: ids => string.Join(",", ids));
        for (var r = 0; r < 2; r++)
        {
            var expected = GreedyByRecomputation(Model, prompts[r], 8, stops.ToHashSet());
            Assert.That(results[r].TokenIds, Is.EqualTo(expected), $"row {r}");
            var stopped = expected.Count < 8 || stops.Contains(expected[^1]);
            Assert.That(results[r].FinishReason, Is.EqualTo(stopped ? FinishReason.EndOfSequence : FinishReason.MaxNewTokens));
            if (results[r].FinishReason == FinishReason.EndOfSequence)
                Assert.That(results[r].Text, Is.EqualTo(string.Join(",", expected.Take(expected.Count - 1))));
        }
        Assert.That(results[0].TokenIds, Has.Count.LessThanOrEqualTo(3));
    }

    [Test]
    public void SeededSamplingIsReproducibleAndSeedMatters()
    {
        int[][] prompts = [[5, 9, 17], [3, 80]];
        var gen = new TextGenerator(Model);
        var o = new GenerationOptions { MaxNewTokens = 16, Temperature = 1.5, TopK = 40, TopP = 0.95, Seed = 42 };
        var a = gen.Generate(prompts, o);
        var b = gen.Generate(prompts, o);
        var c = gen.Generate(prompts, o with { Seed = 43 });
        Assert.That(a.Select(x => x.TokenIds), Is.EqualTo(b.Select(x => x.TokenIds)));
        Assert.That(a.SelectMany(x => x.TokenIds), Is.Not.EqualTo(c.SelectMany(x => x.TokenIds)));
        var greedy = gen.Generate(prompts, new GenerationOptions { MaxNewTokens = 16 });
        Assert.That(a.SelectMany(x => x.TokenIds), Is.Not.EqualTo(greedy.SelectMany(x => x.TokenIds)), "temperature 1.5 sampling differs from greedy");
    }

    [Test]
    public void TopKOneEqualsGreedy()
    {
        int[][] prompts = [[5, 9, 17], [3, 80, 44, 12, 7]];
        var gen = new TextGenerator(Model);
        var greedy = gen.Generate(prompts, new GenerationOptions { MaxNewTokens = 12 });
        var topk1 = gen.Generate(prompts, new GenerationOptions { MaxNewTokens = 12, Temperature = 2.0, TopK = 1, Seed = 7 });
        Assert.That(topk1.Select(x => x.TokenIds), Is.EqualTo(greedy.Select(x => x.TokenIds)));
    }

    [Test]
    public void TinyTopPEqualsGreedy()
    {
        int[][] prompts = [[5, 9, 17]];
        var gen = new TextGenerator(Model);
        var greedy = gen.Generate(prompts, new GenerationOptions { MaxNewTokens = 12 });
        var nucleus = gen.Generate(prompts, new GenerationOptions { MaxNewTokens = 12, Temperature = 1.0, TopP = 1e-6, Seed = 3 });
        Assert.That(nucleus[0].TokenIds, Is.EqualTo(greedy[0].TokenIds));
    }

    [Test]
    public void SamplerRestrictsToTopKAndTopP()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 0f, 3f, 2.9f, 1f, -1f, 2.8f }).view(1, -1).repeat(2000, 1);
        using var g = new TorchSharp.torch.Generator(11);
        var k3 = new TokenSampler(new GenerationOptions { Temperature = 1, TopK = 3 }).Next(logits, g).data<long>().ToArray().ToHashSet();
        Assert.That(k3, Is.EquivalentTo(new long[] { 1, 2, 5 }));
        // probs ∝ e^3, e^2.9, e^2.8, e^1, … : top two hold ≈ 0.62 of the mass, so top_p = 0.5 keeps exactly {1, 2}.
        var p = new TokenSampler(new GenerationOptions { Temperature = 1, TopP = 0.5 }).Next(logits, g).data<long>().ToArray().ToHashSet();
        Assert.That(p, Is.EquivalentTo(new long[] { 1, 2 }));
    }

    [Test]
    public async Task AsyncReportsProgressAndHonoursCancellation()
    {
        int[][] prompts = [[5, 9, 17], [3, 80]];
        var reports = new List<int>();
        var progress = new SynchronousProgress(reports.Add);
        var results = await new TextGenerator(Model).GenerateAsync(prompts, new GenerationOptions { MaxNewTokens = 5 }, progress: progress);
        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(reports, Is.EqualTo(new[] { 2, 4, 6, 8, 10 }));
        using var cts = new CancellationTokenSource();
        var cancelling = new SynchronousProgress(n => { if (n >= 4) cts.Cancel(); });
        Assert.That(async () => await new TextGenerator(Model).GenerateAsync(prompts, new GenerationOptions { MaxNewTokens = 50 }, progress: cancelling, cancellationToken: cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void InvalidInputIsRejected()
    {
        var gen = new TextGenerator(Model);
        Assert.Throws<ArgumentException>(() => gen.Generate([[]], new GenerationOptions()));
        Assert.Throws<ArgumentException>(() => gen.Generate([[1, 96]], new GenerationOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => gen.Generate([[1]], new GenerationOptions { MaxNewTokens = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => gen.Generate([[1]], new GenerationOptions { TopP = 0 }));
    }

    [Test]
    public void Stories260KGreedyFromBosMatchesReferenceWithCacheAndByRecomputation()
    {
        var dir = SharedData.PathOrIgnore("models/stories260K");
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var reference = SafeTensorsFile.Open(Path.Combine(dir, "reference_logits.safetensors"));
        using var scope = NewDisposeScope();
        var stored = reference.Load("greedy_from_bos").to(ScalarType.Int64).data<long>().Select(x => (int)x).ToArray();
        Assert.That(stored[0], Is.EqualTo(1), "the stored sequence starts with the bos prompt");
        var expected = stored[1..];
        Assert.That(expected, Has.Length.EqualTo(64));
        var withCache = new TextGenerator(model).Generate([[1]], new GenerationOptions { MaxNewTokens = 64, EosTokenIds = [] });
        Assert.That(withCache[0].TokenIds, Is.EqualTo(expected));
        Assert.That(GreedyByRecomputation(model, [1], 64), Is.EqualTo(expected));
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
