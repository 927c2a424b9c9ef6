using NUnit.Framework;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>The decoding-step matrix–vector kernel against libtorch's linear, and its batch invariance.</summary>
[TestFixture]
[NonParallelizable]
public sealed class SmallBatchGemvTests
{
    private static Tensor Random(long[] shape, ScalarType dtype, int seed, double scale = 1) => SeededTensors.Normal(shape, dtype, seed, scale);

    [Test]
    public void MatchesLibtorchLinear([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype, [Values(1, 3, 4, 8)] int rows,
        [Values] bool bias)
    {
        using var ng = no_grad();
        using var w = Random([37, 96], dtype, 1, 0.1);
        using var b = bias ? Random([37], dtype, 2) : null;
        using var x = Random([1, rows, 96], dtype, 3);
        // (Forward itself handles any row count; Applies sends bfloat16 steps of more than 4 rows to libtorch.)
        Assert.That(SmallBatchGemv.Applies(x, w, b), Is.EqualTo(dtype == ScalarType.Float32 || rows <= SmallBatchGemv.MaxBFloat16Rows));
        using var mine = SmallBatchGemv.Forward(x, w, b);
        using var reference = nn.functional.linear(x.to(ScalarType.Float64), w.to(ScalarType.Float64), b?.to(ScalarType.Float64));
        Assert.That(mine.dtype, Is.EqualTo(dtype));
        Assert.That(mine.shape, Is.EqualTo(new long[] { 1, rows, 37 }));
        // float32: accumulation order only; bfloat16: the output's own rounding (2^-8 relative) dominates.
        var rtol = dtype == ScalarType.Float32 ? 1e-5 : 8e-3;
        using var err = (mine.to(ScalarType.Float64) - reference).abs();
        using var tol = reference.abs() * rtol + 1e-5;
        Assert.That(err.le(tol).all().item<bool>(), Is.True, $"max abs error {err.max().item<double>()}");
    }

    [Test]
    public void Qwen3ProjectionShapesMatchLibtorchLinear([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype, [Values(1, 3)] int rows)
    {
        // Qwen3-0.6B: q 1024 → 16 heads × 128 = 2048 (wider than the model), k and v 1024 → 8 × 128 in the same pass,
        // o 2048 → 1024.
        using var ng = no_grad();
        using var q = Random([2048, 1024], dtype, 30, 0.03);
        using var k = Random([1024, 1024], dtype, 31, 0.03);
        using var v = Random([1024, 1024], dtype, 32, 0.03);
        using var o = Random([1024, 2048], dtype, 33, 0.03);
        using var x = Random([rows, 1, 1024], dtype, 34);
        using var attention = Random([rows, 1, 2048], dtype, 35);
        Assert.That(SmallBatchGemv.TryForward(x, [GemvOperand.Of(q, null), GemvOperand.Of(k, null), GemvOperand.Of(v, null)], out var qkv, null), Is.True);
        Assert.That(SmallBatchGemv.TryForward(attention, [GemvOperand.Of(o, null)], out var output, null), Is.True);
        var rtol = dtype == ScalarType.Float32 ? 1e-5 : 8e-3;
        foreach (var (mine, input, weight, what) in new[] { (qkv[0], x, q, "q"), (qkv[1], x, k, "k"), (qkv[2], x, v, "v"), (output[0], attention, o, "o") })
        {
            using var _ = mine;
            using var reference = nn.functional.linear(input.to(ScalarType.Float64), weight.to(ScalarType.Float64));
            Assert.That(mine.shape, Is.EqualTo(new long[] { rows, 1, weight.shape[0] }), what);
            using var err = (mine.to(ScalarType.Float64) - reference).abs();
            using var tol = reference.abs() * rtol + 1e-5;
            Assert.That(err.le(tol).all().item<bool>(), Is.True, $"{what}: max abs error {err.max().item<double>()}");
        }
    }

    [Test]
    public void EachRowIsBitIdenticalWhateverRowsShareTheCallAndWhateverTheThreads([Values(ScalarType.Float32, ScalarType.BFloat16)] ScalarType dtype)
    {
        using var ng = no_grad();
        using var w = Random([203, 128], dtype, 4, 0.1);
        using var b = Random([203], dtype, 5);
        const int rowsInStep = 7; // bfloat16: a four-row group plus three single rows
        using var x = Random([rowsInStep, 1, 128], dtype, 6);
        using var all = SmallBatchGemv.Forward(x, w, b);
        var threads = get_num_threads();
        try
        {
            foreach (var t in new[] { 1, threads })
            {
                set_num_threads(t);
                for (var r = 0; r < rowsInStep; r++)
                {
                    using var alone = SmallBatchGemv.Forward(x.narrow(0, r, 1).contiguous(), w, b);
                    Assert.That(alone.eq(all.narrow(0, r, 1)).all().item<bool>(), Is.True, $"row {r} alone, {t} thread(s)");
                }
            }
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Test]
    public void WeightsLargerThanOneSliceAreProcessedInSlices()
    {
        using var ng = no_grad();
        using var w = Random([70, 64], ScalarType.Float32, 7);
        using var x = Random([2, 64], ScalarType.Float32, 8);
        using var whole = SmallBatchGemv.Forward(x, w, null);
        var saved = SmallBatchGemv.MaxSliceBytes;
        try
        {
            SmallBatchGemv.MaxSliceBytes = 64 * 4 * 8; // 8 weight rows per slice: 9 slices, the last one partial
            using var sliced = SmallBatchGemv.Forward(x, w, null);
            Assert.That(sliced.eq(whole).all().item<bool>(), Is.True);
        }
        finally
        {
            SmallBatchGemv.MaxSliceBytes = saved;
        }
    }

    [Test]
    public void OtherInputsAreLeftToLibtorch()
    {
        using var w = Random([16, 64], ScalarType.Float32, 9);
        using var ng = no_grad();
        using var nine = Random([9, 64], ScalarType.Float32, 10);
        Assert.That(SmallBatchGemv.Applies(nine, w, null), Is.False, "more rows than a decoding step");
        using var wBf = Random([16, 64], ScalarType.BFloat16, 19);
        using var fiveBf = Random([5, 64], ScalarType.BFloat16, 20);
        using var fourBf = Random([4, 64], ScalarType.BFloat16, 21);
        Assert.That(SmallBatchGemv.Applies(fiveBf, wBf, null), Is.False, "more bfloat16 rows than the kernel's limit");
        Assert.That(SmallBatchGemv.Applies(fourBf, wBf, null), Is.True);
        using var odd = Random([1, 40], ScalarType.Float32, 11);
        using var wOdd = Random([16, 40], ScalarType.Float32, 12);
        Assert.That(SmallBatchGemv.Applies(odd, wOdd, null), Is.False, "K not a multiple of 16");
        using var half = Random([1, 64], ScalarType.Float16, 13);
        using var wHalf = Random([16, 64], ScalarType.Float16, 14);
        Assert.That(SmallBatchGemv.Applies(half, wHalf, null), Is.False, "float16");
        using var mixed = Random([1, 64], ScalarType.BFloat16, 15);
        Assert.That(SmallBatchGemv.Applies(mixed, w, null), Is.False, "dtypes differ");
        using var strided = Random([64, 2], ScalarType.Float32, 16);
        Assert.That(SmallBatchGemv.Applies(strided.t(), w, null), Is.False, "non-contiguous input");
        using var x = Random([1, 64], ScalarType.Float32, 17);
        using (enable_grad())
            Assert.That(SmallBatchGemv.Applies(x, w, null), Is.False, "autograd on");
        Assert.That(SmallBatchGemv.Applies(x, w, null), Is.True);
    }

    [Test]
    public void BFloat16RoundingIsNearestEven()
    {
        Assert.That(BFloat16Bits.FromFloat(1.0f), Is.EqualTo((ushort)0x3F80));
        // 1 + 2^-8 is exactly halfway between 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        Assert.That(BFloat16Bits.FromFloat(1.00390625f), Is.EqualTo((ushort)0x3F80));
        // 1 + 3·2^-8 is halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up.
        Assert.That(BFloat16Bits.FromFloat(1.01171875f), Is.EqualTo((ushort)0x3F82));
        Assert.That(BFloat16Bits.FromFloat(-2.5f), Is.EqualTo((ushort)0xC020));
        Assert.That(float.IsNaN(BitConverter.Int32BitsToSingle(BFloat16Bits.FromFloat(float.NaN) << 16)), Is.True);
        Assert.That(BFloat16Bits.FromFloat(float.PositiveInfinity), Is.EqualTo((ushort)0x7F80));
        // Every value agrees with libtorch's own conversion.
        using var g = new Generator(18);
        using var values = randn([4096], generator: g) * 1000;
        var floats = values.data<float>().ToArray();
        using var bf = values.to(ScalarType.BFloat16);
        var torchBits = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bf.bytes).ToArray();
        for (var i = 0; i < floats.Length; i++)
            Assert.That(BFloat16Bits.FromFloat(floats[i]), Is.EqualTo(torchBits[i]), $"value {floats[i]:R}");
    }
}
