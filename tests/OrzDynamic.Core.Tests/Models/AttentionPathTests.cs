using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Tests.Fixtures;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>
/// The fused-causal and query-chunked attention paths against the original dense-mask path (<see cref="AttentionPath.Dense"/>),
/// with padding, KV-cache offsets, several chunk sizes and grouped-query layouts.
/// </summary>
public sealed class AttentionPathTests
{
    private const float Tol = 2e-5f;

    private static CausalLM Load(TempDirectory tmp, TinyCheckpointBuilder builder) =>
        CheckpointLoader.Load(builder.Write(tmp.Sub("ckpt")), new ModelLoadOptions { DType = ScalarType.Float32 });

    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "qwen2", Heads = 4, KvHeads = 2 }).SetName("gqa_g2");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "llama", Heads = 4, KvHeads = 4 }).SetName("mha_g1");
        yield return new TestCaseData(new TinyCheckpointBuilder { ModelType = "llama", Heads = 4, KvHeads = 1, HeadDim = 16 }).SetName("mqa_g4");
    }

    /// <summary>Every (path, chunk) setting that must agree with the dense reference.</summary>
    private static readonly (AttentionPath Path, long? Chunk)[] Settings =
        [(AttentionPath.Auto, null), (AttentionPath.Chunked, null), (AttentionPath.Chunked, 1), (AttentionPath.Chunked, 3), (AttentionPath.Chunked, 16)];

    private static Tensor Run(CausalLM model, AttentionPath path, long? chunk, Func<CausalLM, Tensor> forward)
    {
        var (oldPath, oldChunk) = (model.AttentionPath, model.AttentionQueryChunk);
        model.AttentionPath = path;
        model.AttentionQueryChunk = chunk;
        try
        {
            return forward(model);
        }
        finally
        {
            (model.AttentionPath, model.AttentionQueryChunk) = (oldPath, oldChunk);
        }
    }

    private static void AssertAllPathsAgree(CausalLM model, Func<CausalLM, Tensor> forward, string what)
    {
        var reference = Run(model, AttentionPath.Dense, null, forward);
        Assert.That(reference.isfinite().all().item<bool>(), Is.True, $"{what}: dense reference finite");
        foreach (var (path, chunk) in Settings)
        {
            var actual = Run(model, path, chunk, forward);
            var err = (actual - reference).abs().max().item<float>();
            Assert.That(err, Is.LessThan(Tol), $"{what}: {path} chunk {chunk?.ToString() ?? "auto"}");
        }
    }

    private static (Tensor Ids, Tensor Mask) LeftPadded(long[][] rows, long extra = 0)
    {
        var len = rows.Max(r => r.Length) + extra;
        var ids = zeros(rows.Length, len, ScalarType.Int64);
        var mask = zeros(rows.Length, len, ScalarType.Int64);
        for (var r = 0; r < rows.Length; r++)
        {
            var off = len - rows[r].Length;
            ids[r].narrow(0, off, rows[r].Length).copy_(tensor(rows[r]));
            mask[r].narrow(0, off, rows[r].Length).fill_(1);
        }
        return (ids, mask);
    }

    private static long[] Tokens(int n, int seed, int vocab = 96) => Enumerable.Range(0, n).Select(i => (long)((i * 37 + seed * 11 + i * i) % vocab)).ToArray();

    [TestCaseSource(nameof(Models))]
    public void UnpaddedPrefillMatchesDense(TinyCheckpointBuilder builder)
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, builder);
        using var scope = NewDisposeScope();
        var ids = stack([tensor(Tokens(41, 1)), tensor(Tokens(41, 2))]);
        AssertAllPathsAgree(model, m => m.Forward(ids).Logits!, "B=2, T=41, no mask");
        // An all-ones mask is no padding: same result (and the fused path).
        AssertAllPathsAgree(model, m => m.Forward(ids, ones(2, 41, ScalarType.Int64)).Logits!, "all-ones mask");
    }

    [TestCaseSource(nameof(Models))]
    public void LeftPaddedPrefillMatchesDense(TinyCheckpointBuilder builder)
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, builder);
        using var scope = NewDisposeScope();
        var (ids, mask) = LeftPadded([Tokens(7, 3), Tokens(30, 4), Tokens(19, 5)]);
        // Compare only real positions: padded query rows are defined (finite) but unused.
        var real = mask.to(ScalarType.Bool).unsqueeze(-1);
        AssertAllPathsAgree(model, m => m.Forward(ids, mask).Logits!.masked_fill(real.logical_not(), 0), "left padded B=3");
        // A padded row's real tokens score as if alone.
        using var alone = model.Forward(tensor(Tokens(7, 3)).view(1, -1));
        var err = (model.Forward(ids, mask).Logits![0].narrow(0, 23, 7) - alone.Logits![0]).abs().max().item<float>();
        Assert.That(err, Is.LessThan(Tol));
    }

    [TestCaseSource(nameof(Models))]
    public void CacheOffsetPrefillAndDecodeMatchDense(TinyCheckpointBuilder builder)
    {
        using var tmp = new TempDirectory();
        using var model = Load(tmp, builder);
        using var scope = NewDisposeScope();
        foreach (var padded in new[] { false, true })
        {
            long[][] rows = padded ? [Tokens(5, 6), Tokens(12, 7)] : [Tokens(12, 6), Tokens(12, 7)];
            var (prefix, prefixMask) = LeftPadded(rows);
            var cont = stack([tensor(Tokens(9, 8)), tensor(Tokens(9, 9))]);
            var step = tensor(new long[] { 4, 11 }).view(2, 1);
            // Each path gets its own cache: prefix (T = 12), then 9 tokens after the offset, then one decode step.
            Tensor Continue(CausalLM m)
            {
                using var cache = m.CreateCache(2, 4); // small: forces growth
                m.Forward(prefix, prefixMask, cache: cache, logits: LogitsMode.None).Dispose();
                var mask2 = cat([prefixMask, ones(2, 9, ScalarType.Int64)], 1);
                var mid = m.Forward(cont, mask2, cache: cache).Logits!;
                var mask3 = cat([mask2, ones(2, 1, ScalarType.Int64)], 1);
                var last = m.Forward(step, mask3, cache: cache).Logits!;
                return cat([mid, last], 1);
            }
            AssertAllPathsAgree(model, Continue, padded ? "cache offset, padded" : "cache offset, unpadded");
        }
    }

    [Test]
    public void ChunkMasksEqualTheOriginalDenseMask()
    {
        using var scope = NewDisposeScope();
        // The mask formula the model used before chunking: key slot ≤ query slot and key is real, or key = query slot.
        var pad = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1 }, [2, 7]).to(ScalarType.Bool);
        long past = 3, t = 4, s = past + t;
        var qSlot = arange(past, s, ScalarType.Int64).unsqueeze(1);
        var kSlot = arange(0, s, ScalarType.Int64).unsqueeze(0);
        var old = kSlot.le(qSlot).unsqueeze(0).logical_and(pad.unsqueeze(1)).logical_or(kSlot.eq(qSlot).unsqueeze(0)).unsqueeze(1);
        using var spec = new AttentionMask(2, t, past, pad);
        foreach (var g in new[] { 1, 3 })
        {
            var expected = Attention.GroupMask(old, g);
            var dense = spec.Build(0, t, g, CPU);
            Assert.That(dense.shape, Is.EqualTo(expected.shape));
            Assert.That(dense.eq(expected).all().item<bool>(), Is.True, $"dense, G={g}");
            // Chunk [1, 3): rows 1..2 of every group, keys up to slot past + 3.
            var chunk = spec.Build(1, 2, g, CPU);
            Assert.That(spec.Build(1, 2, g, CPU).eq(chunk).all().item<bool>(), Is.True, "the kept mask is returned again");
            Assert.That(chunk.shape, Is.EqualTo(new long[] { 2, 1, g * 2, past + 3 }));
            var want = Attention.GroupMask(old.narrow(2, 1, 2).narrow(3, 0, past + 3), g);
            Assert.That(chunk.eq(want).all().item<bool>(), Is.True, $"chunk, G={g}");
        }
    }

    [Test]
    public void PathResolution()
    {
        using var scope = NewDisposeScope();
        var pad = ones(1, 9, ScalarType.Bool);
        Assert.Multiple(() =>
        {
            Assert.That(new AttentionMask(1, 9, 0, null).ResolvedPath, Is.EqualTo(AttentionPath.Auto), "plain causal → fused");
            Assert.That(new AttentionMask(1, 1, 8, null).ResolvedPath, Is.EqualTo(AttentionPath.Auto), "decode → one unmasked call");
            Assert.That(new AttentionMask(1, 4, 5, null).ResolvedPath, Is.EqualTo(AttentionPath.Chunked), "several tokens after an offset");
            Assert.That(new AttentionMask(1, 9, 0, pad).ResolvedPath, Is.EqualTo(AttentionPath.Chunked), "padding");
            Assert.That(new AttentionMask(1, 9, 0, null, AttentionPath.Dense).ResolvedPath, Is.EqualTo(AttentionPath.Dense));
            // Automatic chunk: B · heads · chunk · S ≤ the budget.
            var big = new AttentionMask(2, 8000, 0, null, AttentionPath.Chunked);
            var chunk = big.ChunkLength(14);
            Assert.That(2 * 14 * chunk * 8000, Is.LessThanOrEqualTo(AttentionMask.DefaultChunkElements));
            Assert.That(2 * 14 * (chunk + 1) * 8000, Is.GreaterThan(AttentionMask.DefaultChunkElements));
            Assert.That(new AttentionMask(1, 5, 0, null, AttentionPath.Chunked, 64).ChunkLength(4), Is.EqualTo(5));
        });
        Assert.Throws<ArgumentException>(() => _ = new AttentionMask(1, 9, 0, ones(1, 8, ScalarType.Bool)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new AttentionMask(1, 9, 0, null, queryChunk: 0));
    }
}
