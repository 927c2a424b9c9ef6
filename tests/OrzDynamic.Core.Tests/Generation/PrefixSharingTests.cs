using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Datasets.Loading;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Generation;

/// <summary>
/// Prefix sharing: the K draws of a prompt take one prefill, in static and continuous batching, and every generated id
/// is the same as with a prompt pass per draw.
/// </summary>
public sealed class PrefixSharingTests : TinyModelTests
{
    private const int Samples = 3;
    private const int BatchSize = 3;

    /// <summary>Seven prompts of 1–12 random ids (so static batches are padded); the text is the key of its ids.</summary>
    private static (EvalSample[] Samples, Dictionary<string, IReadOnlyList<int>> Ids) Prompts(long vocab)
    {
        var rng = new Random(17);
        var samples = new EvalSample[7];
        var ids = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Length; i++)
        {
            var text = $"prompt {i}";
            ids[text] = Enumerable.Range(0, rng.Next(1, 13)).Select(_ => rng.Next(3, (int)vocab)).ToArray();
            samples[i] = new EvalSample("tiny", "tiny.jsonl", i, $"q{i}", "a", null, text, null);
        }
        return (samples, ids);
    }

    /// <summary>Runs the scheduler over every draw; the ids of each (index, sample number) and the scheduler.</summary>
    private (Dictionary<(int, int), IReadOnlyList<int>> Ids, AnswerScheduler Scheduler) Run(GenerationMode mode, bool share)
    {
        var (samples, ids) = Prompts(Model.Config.VocabSize);
        var scheduler = new AnswerScheduler(Model, mode, BatchSize, NullLogger.Instance, share);
        // Sampled, with frequent stop tokens, so that answers differ per draw and end at different lengths.
        var options = new GenerationOptions { MaxNewTokens = 10, Temperature = 1.0, EosTokenIds = [10, 20, 30, 40] };
        var answers = new Dictionary<(int, int), IReadOnlyList<int>>();
        foreach (var group in scheduler.Run(SampleDraw.Batches(samples, BatchSize, Samples), _ => false, t => ids[t], 5, options))
            foreach (var a in group)
                answers.Add((a.Sample.Index, a.Draw.Number), a.Generation.TokenIds);
        Assert.That(answers, Has.Count.EqualTo(samples.Length * Samples));
        return (answers, scheduler);
    }

    [TestCase(GenerationMode.Static, 3)]      // 7 prompts in batches of 3: three prompt batches
    [TestCase(GenerationMode.Continuous, 7)]  // one batch-1 pass per prompt
    public void SharedPrefill_GivesTheIdsOfAPassPerDraw_WithOnePassPerPromptBatch(GenerationMode mode, int sharedPasses)
    {
        var (shared, on) = Run(mode, share: true);
        var (alone, off) = Run(mode, share: false);

        Assert.That(shared, Is.EquivalentTo(alone), "sharing changed generated ids");
        Assert.That(on.Prefill.Computed, Is.EqualTo(sharedPasses), "prompt passes with sharing");
        Assert.That(off.Prefill.Computed, Is.EqualTo(sharedPasses * Samples), "prompt passes without sharing");
        Assert.That(on.Prefill.SharedRows, Is.EqualTo(7 * (Samples - 1)), "rows that took a shared prefill");
        Assert.That(off.Prefill.SharedRows, Is.Zero);
        Assert.That(on.Prefill.ComputedRows + on.Prefill.SharedRows, Is.EqualTo(7 * Samples));
        // The draws of a prompt still sample with their own generators: their continuations differ.
        var distinct = Enumerable.Range(0, 7).Count(i => Enumerable.Range(0, Samples).Select(s => string.Join(",", shared[(i, s)])).Distinct().Count() > 1);
        Assert.That(distinct, Is.GreaterThan(3), "samples of a prompt should differ");
    }

    [Test]
    public void StaticShare_ReusesOnlyTheSamePromptsInTheSameOrderAndPadding()
    {
        var stats = new PrefillStats();
        using var share = new StaticPrefillShare();
        var gen = new TextGenerator(Model, share: share, stats: stats);
        var plain = new TextGenerator(Model);
        var options = new GenerationOptions { MaxNewTokens = 6, Temperature = 1.0, EosTokenIds = [] };
        int[][] prompts = [[5, 6, 7, 8], [9, 10], [11, 12, 13]];
        GenerationRequest[] Requests(int[][] p, long seed) => p.Select((ids, i) => new GenerationRequest(ids, seed + i)).ToArray();
        var changed = prompts.Select(p => p.ToArray()).ToArray();
        changed[1][1] = 14;
        var cases = new (GenerationRequest[] Requests, GenerationOptions Options, bool Reused)[]
        {
            (Requests(prompts, 1), options, false),
            (Requests(prompts, 100), options, true),                       // next sample: other seeds, same prompts
            (Requests(prompts.Reverse().ToArray(), 200), options, false),  // same prompts, other order
            (Requests(prompts.Reverse().ToArray(), 300), options with { PadTokenId = 3 }, false),
            (Requests(changed, 400), options with { PadTokenId = 3 }, false), // one id differs
            (Requests(changed, 500), options with { PadTokenId = 3, MaxNewTokens = 600 }, true), // needs a larger cache
        };
        var passes = 0;
        foreach (var (requests, o, reused) in cases)
        {
            var ids = gen.Generate(requests, o).Select(r => r.TokenIds).ToArray();
            if (!reused) passes++;
            Assert.That(stats.Computed, Is.EqualTo(passes), $"passes after seed {requests[0].Seed}");
            Assert.That(ids, Is.EqualTo(plain.Generate(requests, o).Select(r => r.TokenIds).ToArray()), $"ids of seed {requests[0].Seed}");
        }

        // A batch run with KeepForNext false takes the kept prefill and releases it; the next batch computes its own.
        share.KeepForNext = false;
        gen.Generate(Requests(changed, 600), options with { PadTokenId = 3 });
        Assert.That((stats.Computed, share.Holds), Is.EqualTo((passes, false)), "the last user releases the kept prefill");
        gen.Generate(Requests(changed, 700), options with { PadTokenId = 3 });
        Assert.That((stats.Computed, share.Holds), Is.EqualTo((passes + 1, false)), "nothing is kept for nobody");
    }
    [Test]
    public void Shelf_KeepsAPrefillFromItsFirstToItsLastRequest()
    {
        int[] a = [5, 6], b = [7], c = [8, 9, 10];
        IReadOnlyList<int>[] queue = [a, b, a.ToArray(), b, c, a];   // a's second request is another list with the same ids
        using var shelf = new PromptPrefillShelf(queue, share: true);
        var computedCount = 0;
        PromptPrefill Compute()
        {
            computedCount++;
            return new PromptPrefill(Model.CreateCache(1, 1), zeros(1, 4));
        }
        var expected = new (bool Computed, bool Owned, int Kept)[]
        {
            (true, false, 1),   // a: two more requests follow
            (true, false, 2),   // b: one more follows
            (false, false, 2),  // a again (equal ids)
            (false, true, 1),   // b's last request: released to the caller
            (true, true, 1),    // c: its only request, never kept
            (false, true, 0),   // a's last request
        };
        for (var i = 0; i < queue.Length; i++)
        {
            var prefill = shelf.Take(queue[i], Compute, out var computed, out var owned);
            Assert.That((computed, owned, shelf.Kept), Is.EqualTo(expected[i]), $"request {i}");
            if (owned) prefill.Dispose();
        }
        Assert.That(computedCount, Is.EqualTo(3));

        using var off = new PromptPrefillShelf(queue, share: false);
        foreach (var prompt in queue)
        {
            off.Take(prompt, Compute, out var computed, out var owned).Dispose();
            Assert.That(computed && owned && off.Kept == 0, "without sharing every request computes and owns its prefill");
        }
        Assert.That(computedCount, Is.EqualTo(3 + queue.Length));
    }
}
