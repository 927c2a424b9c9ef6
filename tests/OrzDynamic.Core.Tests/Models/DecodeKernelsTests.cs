using NUnit.Framework;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>
/// The decoding-step kernels other than the GEMV (RMSNorm, rotary embedding, attention over the cache, several
/// projections in one pass) against the libtorch operations they replace, and the invariances they promise.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class DecodeKernelsTests
{
    private static Tensor Random(long[] shape, ScalarType dtype, int seed, double scale = 1) => SeededTensors.Normal(shape, dtype, seed, scale);

    private static Tensor WithKernelsOff(Func<Tensor> compute) => WithSwitchOff(on => DecodeKernels.Enabled = on, compute);

    /// <summary><paramref name="compute"/> with a kernel switch off (<paramref name="set"/>(false)), turned on again after.</summary>
    private static Tensor WithSwitchOff(Action<bool> set, Func<Tensor> compute)
    {
        set(false);
        try
        {
            return compute();
        }
        finally
        {
            set(true);
        }
    }

    private static void AssertClose(Tensor mine, Tensor reference, double rtol, double atol, string what)
    {
        using var a = mine.to(ScalarType.Float64);
        using var b = reference.to(ScalarType.Float64);
        using var err = (a - b).abs();
        using var tol = b.abs() * rtol + atol;
        Assert.That(err.le(tol).all().item<bool>(), Is.True, $"{what}: max abs error {err.max().item<double>()}");
    }

    private static bool BitEqual(Tensor a, Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    [Test]
    public unsafe void VectorBFloat16RoundingHasTheScalarBits()
    {
        // Random bit patterns (every class: normal, subnormal, ±0, ±∞, NaN with any payload) and the cases at the
        // rounding boundary, eight at a time and through the array conversion with a scalar tail.
        var rng = new Random(3);
        var values = new List<uint> { 0, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001, 0xFFFFFFFF, 0x7F7FFFFF, 0x00000001,
            0x3F808000, 0x3F818000, 0x3F807FFF, 0x3F808001, 0x7F7F8000, 0x007F8000, 0xBF808000 };
        while (values.Count < (1 << 18)) values.Add((uint)rng.NextInt64(0, 1L << 32));
        values.AddRange([0x3F808000, 0x7FC00001, 0x3F800000]); // not a multiple of 8: the scalar tail
        var floats = values.Select(BitConverter.UInt32BitsToSingle).ToArray();
        var vector = new ushort[floats.Length];
        var rounded = (float[])floats.Clone();
        fixed (float* f = floats)
        fixed (ushort* v = vector)
        fixed (float* r = rounded)
        {
            BFloat16Bits.FromFloat(f, true, v, floats.Length);
            BFloat16Bits.RoundInPlace(r, rounded.Length);
        }
        for (var i = 0; i < floats.Length; i++)
        {
            var scalar = BFloat16Bits.FromFloat(floats[i]);
            if (vector[i] != scalar || BitConverter.SingleToUInt32Bits(rounded[i]) != (uint)scalar << 16)
                Assert.Fail($"0x{values[i]:X8}: scalar 0x{scalar:X4}, vector 0x{vector[i]:X4}, rounded in place 0x{BitConverter.SingleToUInt32Bits(rounded[i]):X8}");
        }
    }

    [Test]
    public void RmsNormMatchesTheLibtorchPath([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype)
    {
        using var ng = no_grad();
        using var norm = new RmsNorm("norm", 96, 1e-6, dtype, CPU);
        using (var w = Random([96], ScalarType.Float32, 1, 0.5)) norm.Weight.copy_(w + 1);
        using var x = Random([3, 1, 96], dtype, 2, 3);
        var scale = DecodeRmsNorm.Scale.Of(norm.Weight);
        Assert.That(DecodeRmsNorm.TryForward(x, scale, 1e-6, out var direct), Is.True);
        direct.Dispose();
        using var mine = norm.Forward(x);
        using var reference = WithKernelsOff(() => norm.Forward(x));
        Assert.That(mine.dtype, Is.EqualTo(dtype));
        // float32: the mean square's summation order; bfloat16: at most one rounding step of the output (2^-8 relative).
        AssertClose(mine, reference, dtype == ScalarType.Float32 ? 1e-6 : 8e-3, 1e-7, "rmsnorm");
        using var prefill = Random([1, 4, 96], dtype, 3);
        Assert.That(DecodeRmsNorm.TryForward(prefill, scale, 1e-6, out _), Is.False, "more than one position per row stays on libtorch");
    }

    [Test]
    public void RotaryMatchesTheLibtorchPath([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype)
    {
        using var ng = no_grad();
        using var x = Random([2, 5, 1, 16], dtype, 4);
        using var angles = Random([2, 1, 1, 8], ScalarType.Float32, 5, 3);
        using var both = cat([angles, angles], -1);
        using var cos = both.cos().to(dtype);
        using var sin = both.sin().to(dtype);
        Assert.That(DecodeRotary.Applies(x, cos, sin), Is.True);
        using var mine = RotaryEmbedding.Apply(x, cos, sin);
        using var reference = WithKernelsOff(() => RotaryEmbedding.Apply(x, cos, sin));
        // Exact arithmetic on the same inputs: the kernel rounds once (float32 products, one rounding to the dtype); the
        // libtorch path rounds x·cos to bfloat16 before adding, so it is only compared loosely (absolute, at the inputs' scale).
        using var x64 = x.to(ScalarType.Float64);
        using var rotated = cat([-x64.narrow(-1, 8, 8), x64.narrow(-1, 0, 8)], -1);
        using var exact = x64 * cos.to(ScalarType.Float64) + rotated * sin.to(ScalarType.Float64);
        AssertClose(mine, exact, dtype == ScalarType.Float32 ? 1e-6 : 4e-3, 1e-6, "rope against exact");
        AssertClose(mine, reference, dtype == ScalarType.Float32 ? 1e-6 : 0, dtype == ScalarType.Float32 ? 1e-6 : 0.05, "rope against libtorch");
    }

    /// <summary>q [B, heads, 1, D], cache storage [B, kvHeads, capacity, D] filled with random keys/values.</summary>
    private static (Tensor Q, Tensor Keys, Tensor Values) AttentionInputs(int rows, int heads, int kvHeads, int d, int capacity, ScalarType dtype, int seed) =>
        (Random([rows, heads, 1, d], dtype, seed), Random([rows, kvHeads, capacity, d], dtype, seed + 1), Random([rows, kvHeads, capacity, d], dtype, seed + 2));

    [Test]
    public void AttentionMatchesScaledDotProductAttention([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype,
        [Values(1, 7)] int groupSize, [Values] bool padded, [Values(16, 64, 72, 128)] int d, [Values(37, 150, 600)] int keys)
    {
        // keys: one partial block and group of eight, two whole blocks and a partial one, or three chunks of the split
        // along the keys (two whole, one partial) combined; d: below one 64-element register group, one group and a
        // remainder, or the two sizes compiled on their own (64, 128).
        Assert.That(600, Is.GreaterThan(2 * SplitKeyAttention.ChunkKeys), "600 keys span more than two chunks");
        using var ng = no_grad();
        const int rows = 3, kvHeads = 2;
        var capacity = keys + 3;
        var (q, k, v) = AttentionInputs(rows, groupSize * kvHeads, kvHeads, d, capacity, dtype, 10);
        using var _q = q;
        using var _k = k;
        using var _v = v;
        // Row r's first 5·r slots are padding (left padding); the last slot (the new token's) is always real.
        using var padding = ones([rows, keys], ScalarType.Bool);
        for (var r = 0; r < rows; r++) padding[r].narrow(0, 0, 5 * r).fill_(false);
        var keyPadding = padded ? padding : null;
        Assert.That(DecodeAttention.Applies(q, k, v, keyPadding), Is.True);
        using var mine = DecodeAttention.Forward(q, k, v, keys, keyPadding);
        using var mask = new AttentionMask(rows, 1, keys - 1, keyPadding);
        using var built = mask.Build(0, 1, groupSize, CPU);
        using var reference = AttentionKernels.Grouped(q, k.narrow(2, 0, keys), v.narrow(2, 0, keys), built, groupSize);
        Assert.That(mine.shape, Is.EqualTo(q.shape));
        AssertClose(mine, reference, dtype == ScalarType.Float32 ? 1e-5 : 1.6e-2, dtype == ScalarType.Float32 ? 1e-6 : 2e-3, "attention");
    }

    [Test]
    public void LongRowsOfABFloat16CacheMatchTheEightKeyKernelsAndScaledDotProductAttention([Values(1, 2, 5, 8, 10)] int groupSize,
        [Values(32, 96, 128)] int d, [Values(257, 530)] int keys, [Values] bool padded)
    {
        // More than one chunk of keys: LongRowChunk where 512-bit vectors exist. 257 keys end one key into the second
        // chunk, 530 in a partial group of sixteen; D = 96 is three 64-byte lines per row; 10 heads per key/value head
        // take two passes (8 + 2). Row 1's padding has gaps inside the row (every seventh slot), so its keys are
        // gathered slot by slot.
        Assert.That(LongRowChunk.Applies(true, d, keys), Is.EqualTo(System.Runtime.Intrinsics.X86.Avx512F.IsSupported));
        Assert.That(LongRowChunk.Applies(true, d, SplitKeyAttention.ChunkKeys), Is.False, "a row of one chunk keeps the eight-key kernels");
        using var ng = no_grad();
        const int rows = 2, kvHeads = 2;
        var (q, k, v) = AttentionInputs(rows, groupSize * kvHeads, kvHeads, d, keys + 5, ScalarType.BFloat16, 60);
        using var _q = q;
        using var _k = k;
        using var _v = v;
        using var padding = ones([rows, keys], ScalarType.Bool);
        for (var j = 3; j < keys - 1; j += 7) padding[1, j] = false;
        var keyPadding = padded ? padding : null;
        using var mine = DecodeAttention.Forward(q, k, v, keys, keyPadding);
        using var eightKey = WithSwitchOff(on => LongRowChunk.Enabled = on, () => DecodeAttention.Forward(q, k, v, keys, keyPadding));
        using var mask = new AttentionMask(rows, 1, keys - 1, keyPadding);
        using var built = mask.Build(0, 1, groupSize, CPU);
        using var reference = AttentionKernels.Grouped(q, k.narrow(2, 0, keys), v.narrow(2, 0, keys), built, groupSize);
        AssertClose(mine, reference, 1.6e-2, 2e-3, "attention");
        // Both sum in float32 and round the output once: they differ at most in the last bfloat16 bit.
        AssertClose(mine, eightKey, 8e-3, 1e-4, "long-row kernel against the eight-key kernels");
    }

    [Test]
    public void AttentionOfARowIsBitIdenticalWhateverItsPaddingItsBatchAndTheThreads([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype,
        [Values(45, 700)] int real)
    {
        // 700 keys: three chunks, whose split depends only on the row's own visible keys.
        using var ng = no_grad();
        const int heads = 14, kvHeads = 2, d = 64, pad = 19;
        var (q, k, v) = AttentionInputs(3, heads, kvHeads, d, real + pad + 4, dtype, 20);
        using var _q = q;
        using var _k = k;
        using var _v = v;
        // Row 1 alone, its keys in slots [0, real): the reference.
        using var q1 = q.narrow(0, 1, 1).contiguous();
        using var k1 = k.narrow(0, 1, 1).contiguous();
        using var v1 = v.narrow(0, 1, 1).contiguous();
        using var alone = DecodeAttention.Forward(q1, k1, v1, real, null);
        // The same row in a batch of three, behind `pad` slots of left padding holding other data.
        using var kp = k.clone();
        using var vp = v.clone();
        kp[1].narrow(1, pad, real).copy_(k1[0].narrow(1, 0, real));
        vp[1].narrow(1, pad, real).copy_(v1[0].narrow(1, 0, real));
        using var padding = ones([3, real + pad], ScalarType.Bool);
        padding[1].narrow(0, 0, pad).fill_(false);
        var threads = get_num_threads();
        try
        {
            foreach (var t in new[] { 1, Math.Max(2, threads) })
            {
                set_num_threads(t);
                using var batch = DecodeAttention.Forward(q, kp, vp, real + pad, padding);
                using var row = batch.narrow(0, 1, 1);
                Assert.That(BitEqual(row, alone), Is.True, $"{t} thread(s): the padded row differs from the row alone");
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Test]
    public void AttentionStepFromTheProjectionsEqualsRotateAppendAttend([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype)
    {
        // The fused step (rotate q and k, write k and v into the cache slot, attend) against the separate kernels.
        using var ng = no_grad();
        const int rows = 2, heads = 6, kvHeads = 2, d = 16, slot = 11, capacity = 16;
        using var qp = Random([rows, 1, heads * d], dtype, 50);
        using var kp = Random([rows, 1, kvHeads * d], dtype, 51);
        using var vp = Random([rows, 1, kvHeads * d], dtype, 52);
        using var angles = Random([rows, 1, 1, d / 2], ScalarType.Float32, 53, 3);
        using var both = cat([angles, angles], -1);
        using var cos = both.cos().to(dtype);
        using var sin = both.sin().to(dtype);
        using var keys = Random([rows, kvHeads, capacity, d], dtype, 54);
        using var values = Random([rows, kvHeads, capacity, d], dtype, 55);
        using var padding = ones([rows, slot + 1], ScalarType.Bool);
        padding[0].narrow(0, 0, 3).fill_(false);
        using var keys2 = keys.clone();
        using var values2 = values.clone();
        Assert.That(DecodeAttention.AppliesToStep(qp, kp, vp, cos, sin, keys, values, padding), Is.True);
        using var fused = DecodeAttention.Step(qp, kp, vp, cos, sin, keys, values, slot, padding);

        using var q = DecodeRotary.Apply(qp.view(rows, 1, heads, d).transpose(1, 2), cos, sin);
        using var k = DecodeRotary.Apply(kp.view(rows, 1, kvHeads, d).transpose(1, 2), cos, sin);
        keys2.narrow(2, slot, 1).copy_(k);
        values2.narrow(2, slot, 1).copy_(vp.view(rows, 1, kvHeads, d).transpose(1, 2));
        Assert.That(BitEqual(keys, keys2) && BitEqual(values, values2), Is.True, "the cache slot holds the rotated key and the value");
        using var separate = DecodeAttention.Forward(q, keys2, values2, slot + 1, padding);
        using var separateFlat = separate.transpose(1, 2).reshape(rows, 1, heads * d);
        Assert.That(BitEqual(fused, separateFlat), Is.True, "fused step = rotate, append, attend");
    }

    [Test]
    public void AttentionStepWithHeadNormsEqualsNormRotateAppendAttend([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype)
    {
        // Qwen3's shape of head (D = 128, more than the model width / heads): the fused step normalises each head of q
        // and k with its own weight before rotating, bit for bit as the separate RMSNorm and rotary kernels.
        using var ng = no_grad();
        const int rows = 2, heads = 4, kvHeads = 2, d = 128, slot = 9, capacity = 12;
        const double eps = 1e-6;
        using var qp = Random([rows, 1, heads * d], dtype, 70, 2);
        using var kp = Random([rows, 1, kvHeads * d], dtype, 71, 3);
        using var vp = Random([rows, 1, kvHeads * d], dtype, 72);
        using var angles = Random([rows, 1, 1, d / 2], ScalarType.Float32, 73, 3);
        using var both = cat([angles, angles], -1);
        using var cos = both.cos().to(dtype);
        using var sin = both.sin().to(dtype);
        using var keys = Random([rows, kvHeads, capacity, d], dtype, 74);
        using var values = Random([rows, kvHeads, capacity, d], dtype, 75);
        using var qNorm = new RmsNorm("q_norm", d, eps, dtype, CPU);
        using var kNorm = new RmsNorm("k_norm", d, eps, dtype, CPU);
        using (var w = Random([d], ScalarType.Float32, 76, 0.3)) qNorm.Weight.copy_(w + 1);
        using (var w = Random([d], ScalarType.Float32, 77, 0.3)) kNorm.Weight.copy_(w + 1);
        var norms = new DecodeAttention.HeadNorms(qNorm.DecodeScale, kNorm.DecodeScale, eps);
        using var keys2 = keys.clone();
        using var values2 = values.clone();
        Assert.That(DecodeAttention.AppliesToStep(qp, kp, vp, cos, sin, keys, values, null, norms), Is.True);
        using var fused = DecodeAttention.Step(qp, kp, vp, cos, sin, keys, values, slot, null, norms);
        using var plain = DecodeAttention.Step(qp, kp, vp, cos, sin, keys.clone(), values.clone(), slot, null);
        Assert.That(BitEqual(fused, plain), Is.False, "the norms change the result");

        using var qn = qNorm.Forward(qp.view(rows * heads, 1, d)); // the decoding RMSNorm kernel, one head per row
        using var kn = kNorm.Forward(kp.view(rows * kvHeads, 1, d));
        using var q = DecodeRotary.Apply(qn.view(rows, heads, 1, d), cos, sin);
        using var k = DecodeRotary.Apply(kn.view(rows, kvHeads, 1, d), cos, sin);
        keys2.narrow(2, slot, 1).copy_(k);
        values2.narrow(2, slot, 1).copy_(vp.view(rows, 1, kvHeads, d).transpose(1, 2));
        Assert.That(BitEqual(keys, keys2) && BitEqual(values, values2), Is.True, "the cache slot holds the normalised, rotated key and the value");
        using var separate = DecodeAttention.Forward(q, keys2, values2, slot + 1, null);
        using var separateFlat = separate.transpose(1, 2).reshape(rows, 1, heads * d);
        Assert.That(BitEqual(fused, separateFlat), Is.True, "fused step = norm, rotate, append, attend");

        // Norm weights the kernel cannot take (another dtype, another size) leave the step to libtorch.
        using var wide = new RmsNorm("q_norm", 2 * d, eps, dtype, CPU);
        Assert.That(DecodeAttention.AppliesToStep(qp, kp, vp, cos, sin, keys, values, null, norms with { Query = wide.DecodeScale }), Is.False);
        var other = dtype == ScalarType.Float32 ? ScalarType.BFloat16 : ScalarType.Float32;
        using var otherType = new RmsNorm("k_norm", d, eps, other, CPU);
        Assert.That(DecodeAttention.AppliesToStep(qp, kp, vp, cos, sin, keys, values, null, norms with { Key = otherType.DecodeScale }), Is.False);
    }

    [Test]
    public void KernelsDeclineDTypesTheyDoNotReadAndTheLayerStillMatchesLibtorch()
    {
        // float16 models are supported (libtorch runs them); the kernels read only float32 and bfloat16, so a float16
        // decoding step must stay on libtorch rather than read 2-byte halves as 4-byte floats.
        using var ng = no_grad();
        const ScalarType dtype = ScalarType.Float16;
        const int rows = 1, heads = 4, kvHeads = 2, d = 16, capacity = 8;
        using var qp = Random([rows, 1, heads * d], dtype, 60);
        using var kp = Random([rows, 1, kvHeads * d], dtype, 61);
        using var vp = Random([rows, 1, kvHeads * d], dtype, 62);
        using var angles = Random([rows, 1, 1, d / 2], ScalarType.Float32, 63, 3);
        using var both = cat([angles, angles], -1);
        using var cos = both.cos().to(dtype);
        using var sin = both.sin().to(dtype);
        using var keys = Random([rows, kvHeads, capacity, d], dtype, 64);
        using var values = Random([rows, kvHeads, capacity, d], dtype, 65);
        using var q = qp.view(rows, 1, heads, d).transpose(1, 2).contiguous();
        Assert.That(DecodeAttention.AppliesToStep(qp, kp, vp, cos, sin, keys, values, null), Is.False, "fused attention step");
        Assert.That(DecodeAttention.Applies(q, keys, values, null), Is.False, "attention");
        Assert.That(DecodeRotary.Applies(q, cos, sin), Is.False, "rotary");
        using var rotated = RotaryEmbedding.Apply(q, cos, sin);
        using var reference = WithKernelsOff(() => RotaryEmbedding.Apply(q, cos, sin));
        Assert.That(BitEqual(rotated, reference), Is.True, "RotaryEmbedding.Apply on float16 is libtorch's");
    }

    [Test]
    public void AttentionPropagatesNaN()
    {
        using var ng = no_grad();
        var (q, k, v) = AttentionInputs(1, 4, 2, 8, 10, ScalarType.Float32, 30);
        using var _q = q;
        using var _k = k;
        using var _v = v;
        q[0, 0, 0, 3] = float.NaN;
        using var o = DecodeAttention.Forward(q, k, v, 10, null);
        Assert.That(o[0, 0].isnan().all().item<bool>(), Is.True, "the NaN head is NaN, not a silent value");
        Assert.That(o[0, 2].isfinite().all().item<bool>(), Is.True, "heads of the other key/value group are unaffected");
    }

    [Test]
    public unsafe void LongAttentionOnTheWorkersFetchesTheOfferedWeightsAndKeepsItsBits()
    {
        // Between two products the next weights are read ahead in the background; a long attention that needs every
        // worker takes over that read (WeightReadAhead) and must not change a bit of its own result.
        using var ng = no_grad();
        var threads = get_num_threads();
        var weights = new byte[1 << 20];
        try
        {
            set_num_threads(2);
            const int keys = 3 * SplitKeyAttention.ChunkKeys;
            var (q, k, v) = AttentionInputs(1, 14, 2, 64, keys, ScalarType.BFloat16, 40);
            using var _q = q;
            using var _k = k;
            using var _v = v;
            WeightReadAhead.Take();
            using var without = DecodeAttention.Forward(q, k, v, keys, null);
            fixed (byte* w = weights)
            {
                WeightReadAhead.Offer([new WeightReadAhead.Range((nint)w, weights.Length / 2), new WeightReadAhead.Range((nint)w + weights.Length / 2, weights.Length / 2)]);
                using var with = DecodeAttention.Forward(q, k, v, keys, null);
                Assert.That(WeightReadAhead.Take(), Is.Empty, "the attention took the offered ranges");
                Assert.That(BitEqual(with, without), Is.True, "fetching the weights changes no bit of the attention");
            }
        }
        finally
        {
            set_num_threads(threads);
            WeightReadAhead.Take();
        }
    }

    [Test]
    public void AttentionOverSeveralChunksPropagatesANaNKeyOfOneChunk()
    {
        using var ng = no_grad();
        var keys = 2 * SplitKeyAttention.ChunkKeys + 40;
        var (q, k, v) = AttentionInputs(1, 4, 2, 8, keys, ScalarType.Float32, 31);
        using var _q = q;
        using var _k = k;
        using var _v = v;
        k[0, 0, SplitKeyAttention.ChunkKeys + 3, 5] = float.NaN; // in the second chunk of key/value head 0
        using var o = DecodeAttention.Forward(q, k, v, keys, null);
        Assert.That(o[0, 0].isnan().all().item<bool>() && o[0, 1].isnan().all().item<bool>(), Is.True, "both heads of the group are NaN");
        Assert.That(o[0, 2].isfinite().all().item<bool>(), Is.True, "heads of the other key/value group are unaffected");
    }

    [Test]
    public void SeveralProjectionsInOnePassEqualSeparateCalls([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype, [Values(1, 3)] int rows)
    {
        using var ng = no_grad();
        using var x = Random([rows, 1, 64], dtype, 40);
        (Tensor, Tensor?)[] layers =
        [
            (Random([70, 64], dtype, 41, 0.1), Random([70], dtype, 42)),
            (Random([16, 64], dtype, 43, 0.1), null),
            (Random([9, 64], dtype, 44, 0.1), Random([9], dtype, 45)),
        ];
        try
        {
            var operands = layers.Select(l => GemvOperand.Of(l.Item1, l.Item2)).ToArray();
            Assert.That(operands.All(o => o.Usable), Is.True);
            Assert.That(SmallBatchGemv.TryForward(x, operands, out var together), Is.True);
            for (var i = 0; i < layers.Length; i++)
            {
                using var separate = SmallBatchGemv.Forward(x, layers[i].Item1, layers[i].Item2);
                Assert.That(BitEqual(together[i], separate), Is.True, $"product {i}");
                together[i].Dispose();
            }
        }
        finally
        {
            foreach (var (w, b) in layers)
            {
                w.Dispose();
                b?.Dispose();
            }
        }
    }

    [Test]
    public void TryForwardDeclinesWhatTheKernelDoesNotHandle()
    {
        using var ng = no_grad();
        using var w = Random([32, 64], ScalarType.Float32, 60);
        using var wBf = w.to(ScalarType.BFloat16);
        var op = GemvOperand.Of(w, null);
        var opBf = GemvOperand.Of(wBf, null);
        using var x = Random([2, 1, 64], ScalarType.Float32, 61);
        using var xBf = x.to(ScalarType.BFloat16);
        using var prefill = Random([1, 9, 64], ScalarType.Float32, 62);
        using var fiveBf = Random([5, 1, 64], ScalarType.BFloat16, 63);
        using var wide = Random([2, 1, 48], ScalarType.Float32, 64);
        Assert.That(SmallBatchGemv.TryForward(x, [op], out var y), Is.True);
        y[0].Dispose();
        Assert.That(SmallBatchGemv.TryForward(prefill, [op], out _), Is.False, "more rows than a decoding step");
        Assert.That(SmallBatchGemv.TryForward(xBf, [op], out _), Is.False, "dtypes differ");
        Assert.That(SmallBatchGemv.TryForward(fiveBf, [opBf], out _), Is.False, "more bfloat16 rows than the kernel's limit");
        Assert.That(SmallBatchGemv.TryForward(wide, [op], out _), Is.False, "input size differs from K");
        using var tw = w.t();
        Assert.That(GemvOperand.Of(tw, null).Usable, Is.False, "non-contiguous weight");
        using (var grad = enable_grad())
            Assert.That(SmallBatchGemv.TryForward(x, [op], out _), Is.False, "autograd on");
        Assert.That(op.Describes(w, null) && !op.Describes(wBf, null), Is.True);
    }

    [Test]
    public void EachProductNamesTheNextOneOfADecodingStep()
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 64, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, RmsNormEps = 1e-6, RopeTheta = 10000,
            MaxPositionEmbeddings = 64, TieWordEmbeddings = true, QkvBias = true, EosTokenIds = [0],
        };
        using var model = new CausalLM(config, ScalarType.Float32, CPU);
        var layers = model.Model.Layers;
        static IntPtr[] Weights(GemvOperand[] ops) => ops.Select(o => o.Weight).Select(w => (IntPtr)w).ToArray();
        for (var l = 0; l < 2; l++)
        {
            var a = layers[l].SelfAttention;
            var m = layers[l].Mlp;
            Assert.That(Weights(a.QProj.Next!()), Is.EqualTo(Weights([a.OProj.Operand])), $"layer {l}: q/k/v → o");
            Assert.That(Weights(a.VProj.Next!()), Is.EqualTo(Weights([a.OProj.Operand])));
            Assert.That(Weights(a.OProj.Next!()), Is.EqualTo(Weights([m.GateProj.Operand, m.UpProj.Operand])), $"layer {l}: o → gate/up");
            Assert.That(Weights(m.UpProj.Next!()), Is.EqualTo(Weights([m.DownProj.Operand])), $"layer {l}: gate/up → down");
        }
        var n = layers[1].SelfAttention;
        Assert.That(Weights(layers[0].Mlp.DownProj.Next!()), Is.EqualTo(Weights([n.QProj.Operand, n.KProj.Operand, n.VProj.Operand])), "down → next layer's q/k/v");
        Assert.That(Weights(layers[1].Mlp.DownProj.Next!()), Is.EqualTo(Weights([GemvOperand.Of(model.LmHeadWeight, null)])), "last down → lm_head");
    }

    [Test]
    public void DecodingStepsMatchTheLibtorchPath([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype, [Values("qwen2", "qwen3")] string modelType)
    {
        // A small Qwen2-shaped model (GQA, biases) or Qwen3-shaped one (GQA, q/k norms, head_dim 64 > width / heads),
        // a left-padded batch of three prompts, eight decoding steps: the same logits with the kernels on and off (only
        // the kernels' summation orders and roundings differ).
        using var ng = no_grad();
        var qwen3 = modelType == "qwen3";
        var config = new ModelConfig
        {
            ModelType = modelType, VocabSize = 300, HiddenSize = 128, IntermediateSize = 256, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = qwen3 ? 64 : 32, RmsNormEps = 1e-6, RopeTheta = 10000,
            MaxPositionEmbeddings = 512, TieWordEmbeddings = true, QkvBias = !qwen3, QkNorm = qwen3, EosTokenIds = [0],
        };
        using var model = new CausalLM(config, dtype, CPU);
        using (var g = new Generator(7))
            foreach (var (name, p) in model.NamedWeights())
            {
                if (name.EndsWith("q_norm.weight", StringComparison.Ordinal) || name.EndsWith("k_norm.weight", StringComparison.Ordinal)) p.normal_(1, 0.2, g);
                else if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
                else p.normal_(0, 0.05, g);
            }
        if (qwen3)
        {
            // The model's own head norms are ones the fused step takes, with the cache it allocates.
            using var cache = model.CreateCache(3, 8);
            var (keys, values) = cache.StorageForAppend(0, 1);
            using var qp = zeros([3, 1, 4 * 64], dtype);
            using var kvp = zeros([3, 1, 2 * 64], dtype);
            using var table = zeros([3, 1, 1, 64], dtype);
            Assert.That(DecodeAttention.AppliesToStep(qp, kvp, kvp, table, table, keys, values, null, model.Model.Layers[0].SelfAttention.DecodeHeadNorms), Is.True);
        }
        using var ids = tensor(new long[,] { { 0, 0, 5, 9, 17 }, { 3, 80, 44, 12, 7 }, { 0, 90, 1, 2, 4 } });
        using var prompt = tensor(new long[,] { { 0, 0, 1, 1, 1 }, { 1, 1, 1, 1, 1 }, { 0, 1, 1, 1, 1 } });
        var logits = new List<Tensor>[2];
        for (var run = 0; run < 2; run++)
        {
            DecodeKernels.Enabled = run == 0;
            try
            {
                logits[run] = [];
                using var cache = model.CreateCache(3, 16);
                var mask = prompt.clone();
                using (var first = model.Forward(ids, mask, cache: cache, logits: LogitsMode.LastPosition)) logits[run].Add(first.Logits!.clone());
                for (var step = 0; step < 8; step++)
                {
                    using var next = tensor(new long[] { 10 + step, 20 + step, 30 + step }).view(3, 1);
                    var grown = cat([mask, ones(3, 1, ScalarType.Int64)], 1);
                    mask.Dispose();
                    mask = grown;
                    using var r = model.Forward(next, mask, cache: cache, logits: LogitsMode.LastPosition);
                    logits[run].Add(r.Logits!.clone());
                }
                mask.Dispose();
            }
            finally
            {
                DecodeKernels.Enabled = true;
            }
        }
        for (var step = 0; step < logits[0].Count; step++)
            AssertClose(logits[0][step], logits[1][step], 0, dtype == ScalarType.Float32 ? 1e-4 : 0.08, $"step {step}");
        foreach (var t in logits.SelectMany(l => l)) t.Dispose();
    }
}
