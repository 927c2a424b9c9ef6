using OrzDynamic.Tests;
using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Scoring;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>
/// Long sequences: attention memory stays linear in T (measured with the kernel's resettable peak-RSS counter, with the
/// quadratic dense path as the positive control that shows the measurement can see a [T, T]-sized allocation), and
/// the scores do not depend on the path or the query-chunk size. Linux only for the memory part.
/// Why the memory check is robust: small allocations may be served from heap memory freed by earlier tests (so the
/// linear paths can measure near 0 MB), but glibc serves every allocation above 32 MB with a fresh mmap, whose pages
/// always count toward the peak; a [heads, T, T] (537 MB) or [G·T, T] (67–268 MB) tensor cannot hide.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AttentionMemoryTests
{
    private const int T = 4096;

    /// <summary>Extra peak RSS (bytes) of one forward pass over <paramref name="ids"/> on <paramref name="path"/>.</summary>
    private static long PeakOfForward(CausalLM model, AttentionPath path, Tensor ids, Tensor? mask)
    {
        model.AttentionPath = path;
        model.Forward(ids.narrow(1, 0, 64), mask?.narrow(1, 0, 64), logits: LogitsMode.None).Dispose(); // warm-up on a short prefix
        GC.Collect();
        if (!PeakRss.TryReset()) Assert.Ignore("Cannot reset VmHWM (/proc/self/clear_refs) here.");
        var before = PeakRss.CurrentBytes();
        model.Forward(ids, mask, logits: LogitsMode.None).Dispose();
        return PeakRss.PeakBytes() - before;
    }

    [Test]
    public void LongSequenceAttentionMemoryIsLinearInT()
    {
        if (!PeakRss.IsAvailable)
            Assert.Ignore("Needs Linux /proc/self/clear_refs to reset the peak-RSS counter.");
        using var tmp = new TempDirectory();
        // 8 query heads over 2 KV heads (G = 4), head_dim 8, one layer: everything but attention is tiny at T = 4096.
        var dir = new TinyCheckpointBuilder { ModelType = "qwen2", HiddenSize = 64, Heads = 8, KvHeads = 2, Layers = 1 }.Write(tmp.Sub("c"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var scope = NewDisposeScope();
        var ids = randint(0, 96, [1, T], ScalarType.Int64, generator: new TorchSharp.torch.Generator(3));
        var padMask = ones(1, T, ScalarType.Int64);
        padMask[0, 0] = tensor(0L); // one padding slot: forces the chunked path

        var dense = PeakOfForward(model, AttentionPath.Dense, ids, null);
        var fused = PeakOfForward(model, AttentionPath.Auto, ids, null);
        var chunked = PeakOfForward(model, AttentionPath.Auto, ids, padMask);
        var scoresBytes = 8L * T * T * 4; // [heads, T, T] float32 = 537 MB
        TestContext.Out.WriteLine($"T={T}: extra peak dense {dense / 1e6:F1} MB, fused causal {fused / 1e6:F1} MB, chunked (padded) {chunked / 1e6:F1} MB; [heads,T,T] scores would be {scoresBytes / 1e6:F0} MB");
        Assert.Multiple(() =>
        {
            // Positive control: the dense path's [1, 1, G·T, T] mask (67 MB bool + 268 MB as float) is visible.
            Assert.That(dense, Is.GreaterThan(200_000_000L), "the measurement must see the dense path's quadratic mask");
            // Linear paths: activations here are < 10 MB; one chunk's mask is ≤ 2^24 / heads elements (≤ 11 MB as bool + float)
            // plus its construction temporaries (measured: fused ≈ 4–7 MB, chunked ≈ 25–29 MB). The bounds leave room for
            // allocator noise and stay 8–17× below the [heads, T, T] scores.
            Assert.That(fused, Is.LessThan(32_000_000L), "fused causal path");
            Assert.That(chunked, Is.LessThan(64_000_000L), "query-chunked path");
        });
    }

    [Test]
    public void LongSequenceScoresDoNotDependOnPathOrChunkSize()
    {
        using var tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { ModelType = "qwen2", VocabSize = 300, Heads = 4, KvHeads = 2 }.Write(tmp.Sub("c"));
        using var model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
        using var scope = NewDisposeScope();
        const int n = 1200;
        var seq = randint(0, 300, [n], ScalarType.Int64, generator: new TorchSharp.torch.Generator(9)).data<long>().Select(x => (int)x).ToArray();
        var labels = seq.Select((x, i) => i < 200 ? -100L : x).ToArray();
        var scorer = new SequenceScorer(model);
        model.AttentionPath = AttentionPath.Dense;
        var reference = scorer.Score(seq, labels);
        foreach (var (path, chunk) in new (AttentionPath, long?)[] { (AttentionPath.Auto, null), (AttentionPath.Chunked, null), (AttentionPath.Chunked, 97), (AttentionPath.Chunked, 500) })
        {
            model.AttentionPath = path;
            model.AttentionQueryChunk = chunk;
            var m = scorer.Score(seq, labels);
            var what = $"{path} chunk {chunk?.ToString() ?? "auto"}";
            Assert.Multiple(() =>
            {
                Assert.That(m.ValidTokens, Is.EqualTo(reference.ValidTokens), what);
                Assert.That(m.LabelsArgmax, Is.EqualTo(reference.LabelsArgmax), what);
                Assert.That(m.OutToken, Is.EqualTo(reference.OutToken).Within(1e-5 * Math.Abs(reference.OutToken)), what);
                Assert.That(m.ProbEnergy, Is.EqualTo(reference.ProbEnergy).Within(1e-5 * Math.Abs(reference.ProbEnergy)), what);
                Assert.That(m.ANorm, Is.EqualTo(reference.ANorm).Within(1e-5 * Math.Abs(reference.ANorm)), what);
            });
        }
        // Same path and chunk twice: bit-identical.
        model.AttentionPath = AttentionPath.Auto;
        model.AttentionQueryChunk = null;
        Assert.That(scorer.Score(seq, labels).OutToken, Is.EqualTo(scorer.Score(seq, labels).OutToken));
    }
}
