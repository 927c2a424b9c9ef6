using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>
/// y = x Wᵀ + b for the few rows of a decoding step (at most <see cref="MaxRows"/>), on the CPU, for float32 or
/// bfloat16 weights and activations of the same dtype. Decoding is a matrix–vector product: every weight is used once
/// per token, so the step is bound by how fast the weights stream from memory. libtorch's kernels reach about half of
/// the streaming bandwidth there; this one streams each weight once per step (blocks of four weight rows stay in L1
/// while every activation row uses them), splits the output features between the torch threads and accumulates in
/// float32 lanes in a fixed order.
/// <para>
/// Each output element is computed by the same instruction sequence whatever the number of rows and however the
/// features are split between threads, so a sample's logits do not depend on which samples share its decoding step.
/// bfloat16 outputs are rounded to nearest-even from the float32 result (bias added in float32 first), as libtorch does.
/// </para>
/// </summary>
internal static class SmallBatchGemv
{
    /// <summary>Most activation rows handled here; larger inputs (prefill, scoring) go to libtorch's GEMM.</summary>
    public const int MaxRows = 8;

    private const int RowBlock = 4;

    private static readonly bool Supported = Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Largest weight slice handed to the kernel at once (a span's limit; tests lower it to exercise slicing).</summary>
    internal static int MaxSliceBytes { get; set; } = int.MaxValue;

    /// <summary>Set to false (tests, benchmarks) to always use libtorch; ORZDYNAMIC_GEMV=0 does the same.</summary>
    internal static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("ORZDYNAMIC_GEMV") != "0";

    /// <summary>nn.functional.linear, through this kernel when it applies (see <see cref="Applies"/>).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) =>
        Applies(x, weight, bias) ? Forward(x, weight, bias) : nn.functional.linear(x, weight, bias);

    /// <summary>True when <see cref="Forward"/> handles this input (inference only: never while autograd records).</summary>
    public static bool Applies(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!Enabled || !Supported || is_grad_enabled()) return false;
        if (x.device_type != DeviceType.CPU || weight.device_type != DeviceType.CPU) return false;
        var dtype = weight.dtype;
        if (dtype is not (ScalarType.Float32 or ScalarType.BFloat16) || x.dtype != dtype) return false;
        if (bias is not null && (bias.dtype != dtype || bias.device_type != DeviceType.CPU || !bias.is_contiguous())) return false;
        if (weight.dim() != 2 || !weight.is_contiguous() || !x.is_contiguous() || x.dim() < 1) return false;
        var k = weight.shape[1];
        if (x.shape[^1] != k || k % 16 != 0 || k > int.MaxValue / 4 || weight.shape[0] > int.MaxValue) return false;
        var rows = k == 0 ? 0 : x.numel() / k;
        return rows is >= 1 and <= MaxRows && (long)k * weight.element_size() * RowBlock <= MaxSliceBytes;
    }

    /// <summary>x [.., K] → [.., N] in x's dtype (call only when <see cref="Applies"/> is true).</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias)
    {
        var k = (int)weight.shape[1];
        var n = (int)weight.shape[0];
        var rows = (int)(x.numel() / k);
        var bf16 = weight.dtype == ScalarType.BFloat16;
        var shape = x.shape.ToArray();
        shape[^1] = n;

        var xs = ActivationsAsFloat(x, rows, k, bf16);
        var biasValues = bias is null ? null : ToFloat(bias, n, bf16);
        var result = new float[(long)rows * n];
        var threads = Math.Max(1, torch.get_num_threads());
        // A span covers at most int.MaxValue bytes: very large weights (e.g. a float32 lm_head of a 7B model) go in
        // slices of whole rows, each a multiple of the row block.
        var sliceRows = (int)Math.Min(n, MaxSliceBytes / ((long)k * weight.element_size()) / RowBlock * RowBlock);
        for (var first = 0; first < n; first += sliceRows)
        {
            var count = Math.Min(sliceRows, n - first);
            using var slice = weight.narrow(0, first, count);
            Multiply(slice.bytes, xs, result, rows, n, k, first, count, bf16, threads);
        }
        if (biasValues is not null)
            for (var m = 0; m < rows; m++)
            {
                var row = result.AsSpan(m * n, n);
                for (var i = 0; i < n; i++) row[i] += biasValues[i];
            }
        return bf16 ? ToBFloat16Tensor(result, shape) : torch.tensor(result, shape);
    }

    /// <summary>Output features [first, first + count) of every row, from the weight rows in <paramref name="weightRows"/>.</summary>
    private static unsafe void Multiply(Span<byte> weightRows, float[] xs, float[] result, int rows, int n, int k, int first, int count,
        bool bf16, int threads)
    {
        fixed (byte* wp = weightRows)
        fixed (float* xp = xs)
        fixed (float* yp = result)
        {
            var job = new Job((nint)wp, (nint)xp, (nint)yp, rows, n, k, bf16, first);
            var blocks = (count + RowBlock - 1) / RowBlock;
            var workers = Math.Clamp(threads, 1, blocks);
            if (workers == 1)
            {
                Run(job, 0, count);
                return;
            }
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
            {
                var start = (int)((long)blocks * w / workers) * RowBlock;
                var end = Math.Min(count, (int)((long)blocks * (w + 1) / workers) * RowBlock);
                Run(job, start, end);
            });
        }
    }

    /// <summary>
    /// Pinned addresses and sizes of one product: the weight rows of this slice, the activations, the float32 output
    /// [Rows, N], and First, the output feature of the slice's first weight row.
    /// </summary>
    private readonly record struct Job(nint Weight, nint X, nint Y, int Rows, int N, int K, bool BFloat16, int First);

    /// <summary>Slice rows [start, end) (output features First + start …) for every activation row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Run(Job job, int start, int end)
    {
        var f = start;
        for (; f + RowBlock <= end; f += RowBlock)
            for (var m = 0; m < job.Rows; m++)
            {
                var x = (float*)job.X + (long)m * job.K;
                var y = (float*)job.Y + (long)m * job.N + job.First + f;
                if (job.BFloat16) DotBlockBf16((ushort*)job.Weight + (long)f * job.K, x, job.K, y);
                else DotBlockF32((float*)job.Weight + (long)f * job.K, x, job.K, y);
            }
        for (; f < end; f++)
            for (var m = 0; m < job.Rows; m++)
            {
                var x = (float*)job.X + (long)m * job.K;
                var y = (float*)job.Y + (long)m * job.N + job.First + f;
                *y = job.BFloat16 ? DotBf16((ushort*)job.Weight + (long)f * job.K, x, job.K) : DotF32((float*)job.Weight + (long)f * job.K, x, job.K);
            }
    }

    /// <summary>
    /// Four bfloat16 weight rows against one float32 activation row laid out as [even k…, odd k…] per 16-element group:
    /// a 32-bit lane of the weights holds the pair (k even in the low half, k odd in the high half), so the odd weight
    /// is the lane with its low half cleared and the even one the lane shifted left by 16 — two ALU operations per 16
    /// weights instead of a widening conversion.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void DotBlockBf16(ushort* w, float* x, int k, float* y)
    {
        var high = Vector256.Create(0xFFFF0000u);
        Vector256<float> a0e = default, a0o = default, a1e = default, a1o = default;
        Vector256<float> a2e = default, a2o = default, a3e = default, a3o = default;
        for (var i = 0; i < k; i += 16)
        {
            var xe = Vector256.Load(x + i);
            var xo = Vector256.Load(x + i + 8);
            var w0 = Vector256.Load((uint*)(w + i));
            var w1 = Vector256.Load((uint*)(w + k + i));
            var w2 = Vector256.Load((uint*)(w + 2L * k + i));
            var w3 = Vector256.Load((uint*)(w + 3L * k + i));
            a0e = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(w0, 16).AsSingle(), xe, a0e);
            a0o = Vector256.FusedMultiplyAdd((w0 & high).AsSingle(), xo, a0o);
            a1e = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(w1, 16).AsSingle(), xe, a1e);
            a1o = Vector256.FusedMultiplyAdd((w1 & high).AsSingle(), xo, a1o);
            a2e = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(w2, 16).AsSingle(), xe, a2e);
            a2o = Vector256.FusedMultiplyAdd((w2 & high).AsSingle(), xo, a2o);
            a3e = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(w3, 16).AsSingle(), xe, a3e);
            a3o = Vector256.FusedMultiplyAdd((w3 & high).AsSingle(), xo, a3o);
        }
        y[0] = Vector256.Sum(a0e + a0o);
        y[1] = Vector256.Sum(a1e + a1o);
        y[2] = Vector256.Sum(a2e + a2o);
        y[3] = Vector256.Sum(a3e + a3o);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float DotBf16(ushort* w, float* x, int k)
    {
        var high = Vector256.Create(0xFFFF0000u);
        Vector256<float> ae = default, ao = default;
        for (var i = 0; i < k; i += 16)
        {
            var wv = Vector256.Load((uint*)(w + i));
            ae = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(wv, 16).AsSingle(), Vector256.Load(x + i), ae);
            ao = Vector256.FusedMultiplyAdd((wv & high).AsSingle(), Vector256.Load(x + i + 8), ao);
        }
        return Vector256.Sum(ae + ao);
    }

    /// <summary>Four float32 weight rows against one activation row (natural layout), two accumulators per row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void DotBlockF32(float* w, float* x, int k, float* y)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (var i = 0; i < k; i += 16)
        {
            var x0 = Vector256.Load(x + i);
            var x1 = Vector256.Load(x + i + 8);
            a0 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i), x0, a0);
            b0 = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 8), x1, b0);
            a1 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k + i), x0, a1);
            b1 = Vector256.FusedMultiplyAdd(Vector256.Load(w + k + i + 8), x1, b1);
            a2 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 2L * k + i), x0, a2);
            b2 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 2L * k + i + 8), x1, b2);
            a3 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 3L * k + i), x0, a3);
            b3 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 3L * k + i + 8), x1, b3);
        }
        y[0] = Vector256.Sum(a0 + b0);
        y[1] = Vector256.Sum(a1 + b1);
        y[2] = Vector256.Sum(a2 + b2);
        y[3] = Vector256.Sum(a3 + b3);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe float DotF32(float* w, float* x, int k)
    {
        Vector256<float> a = default, b = default;
        for (var i = 0; i < k; i += 16)
        {
            a = Vector256.FusedMultiplyAdd(Vector256.Load(w + i), Vector256.Load(x + i), a);
            b = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 8), Vector256.Load(x + i + 8), b);
        }
        return Vector256.Sum(a + b);
    }

    /// <summary>
    /// The activations as float32 [rows, K]; for bfloat16 each 16-element group is reordered to [8 even, 8 odd] to match
    /// <see cref="DotBlockBf16"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] ActivationsAsFloat(Tensor x, int rows, int k, bool bf16)
    {
        var result = new float[(long)rows * k];
        if (!bf16)
        {
            MemoryMarshal.Cast<byte, float>(x.bytes).CopyTo(result);
            return result;
        }
        var raw = MemoryMarshal.Cast<byte, ushort>(x.bytes);
        for (var m = 0; m < rows; m++)
            for (var g = 0; g < k; g += 16)
                for (var j = 0; j < 8; j++)
                {
                    result[m * k + g + j] = BFloat16ToFloat(raw[m * k + g + 2 * j]);
                    result[m * k + g + 8 + j] = BFloat16ToFloat(raw[m * k + g + 2 * j + 1]);
                }
        return result;
    }

    private static float[] ToFloat(Tensor t, int n, bool bf16)
    {
        var result = new float[n];
        if (!bf16)
        {
            MemoryMarshal.Cast<byte, float>(t.bytes).CopyTo(result);
            return result;
        }
        var raw = MemoryMarshal.Cast<byte, ushort>(t.bytes);
        for (var i = 0; i < n; i++) result[i] = BFloat16ToFloat(raw[i]);
        return result;
    }

    private static float BFloat16ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float32 → bfloat16 with round-to-nearest-even (NaN stays NaN), as libtorch converts.</summary>
    internal static ushort FloatToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor ToBFloat16Tensor(float[] values, long[] shape)
    {
        var result = empty(shape, ScalarType.BFloat16);
        var raw = MemoryMarshal.Cast<byte, ushort>(result.bytes);
        for (var i = 0; i < values.Length; i++) raw[i] = FloatToBFloat16(values[i]);
        return result;
    }
}
