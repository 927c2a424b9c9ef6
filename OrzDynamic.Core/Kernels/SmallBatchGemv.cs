using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OrzDynamic.Metrics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// y = x Wᵀ + b for the few rows of a decoding step (at most <see cref="MaxRows"/> in float32,
/// <see cref="MaxBFloat16Rows"/> in bfloat16), on the CPU, for weights and activations of the same dtype. Decoding is a
/// matrix–vector product: every weight is used once per token, so the step is bound by how fast the weights stream
/// from memory. This kernel streams each weight once per step in order (a weight row stays in L1 while every
/// activation row uses it), splits the output features between the torch thread count's worth of
/// <see cref="KernelWorkers"/> and accumulates in float32 lanes in a fixed order.
/// <para>
/// Within those limits each output element is computed by the same instruction sequence whatever the number of rows
/// and however the features are split between threads, so a sample's logits do not depend on which samples share its
/// decoding step (a bfloat16 step of more rows goes to libtorch, whose results vary with the row count at rounding
/// level, as before). bfloat16 outputs are rounded to nearest-even from the float32 result (bias added in float32
/// first), as libtorch does.
/// </para>
/// </summary>
internal static class SmallBatchGemv
{
    /// <summary>Most activation rows handled here for float32; larger inputs (prefill, scoring) go to libtorch's GEMM.</summary>
    public const int MaxRows = 8;

    /// <summary>
    /// Most activation rows handled here for bfloat16. Beyond four rows a step is bound by multiply–adds, not memory, and
    /// libtorch (oneDNN's bfloat16 dot-product instructions, which .NET does not expose) is faster: 0.5B shape, 2 cores,
    /// 8 rows 64 ms against 86 ms here; 4 rows 56 against 49; 1 row 42–61 against 33.
    /// </summary>
    public const int MaxBFloat16Rows = 4;

    /// <summary>
    /// How far ahead of the current weight the kernels ask for the next cache line (software prefetch). The hardware
    /// prefetcher alone restarts slowly at every matrix and thread hand-off: on the 0.5B shape's 169 decode matrices
    /// (bfloat16, 2 threads) the whole set streamed at 37 GB/s without it against a 45 GB/s plain read; 1 KB ahead 40,
    /// 4 KB 42–43, 8 KB 44, 16 KB 43.
    /// </summary>
    private const int PrefetchBytes = 6144;

    /// <summary>Output features are split between threads and weight slices in multiples of this.</summary>
    private const int RowBlock = 4;

    /// <summary>Largest weight slice handed to the kernel at once (a span's limit; tests lower it to exercise slicing).</summary>
    internal static int MaxSliceBytes { get; set; } = int.MaxValue;

    /// <summary>nn.functional.linear, through this kernel when it applies (see <see cref="Applies"/>).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias) =>
        Applies(x, weight, bias) ? Forward(x, weight, bias) : nn.functional.linear(x, weight, bias);

    /// <summary>True when <see cref="Forward"/> handles this input (see <see cref="GemvOperand.Eligible"/> and <see cref="InputRows"/>).</summary>
    public static bool Applies(Tensor x, Tensor weight, Tensor? bias)
    {
        if (!DecodeKernels.Enabled || !DecodeKernels.Supported) return false;
        var op = GemvOperand.Of(weight, bias);
        return op.Eligible && InputRows(x, op, out _) > 0 && op.RowBytes * RowBlock <= MaxSliceBytes;
    }

    /// <summary>
    /// The activation rows of x [.., K] for <paramref name="op"/> when the kernel may read x (kernels on, autograd off, a
    /// contiguous CPU tensor of the weight's dtype and input size, at most <see cref="MaxRows"/> or
    /// <see cref="MaxBFloat16Rows"/> rows), else 0; <paramref name="shape"/> is x's shape when it may.
    /// </summary>
    private static long InputRows(Tensor x, GemvOperand op, out long[] shape)
    {
        shape = DecodeKernels.InputShape(x, op.DType) ?? [];
        if (shape.Length == 0 || shape[^1] != op.K) return 0;
        long rows = 1;
        for (var i = 0; i < shape.Length - 1; i++) rows *= shape[i];
        var maxRows = op.DType == ScalarType.BFloat16 ? MaxBFloat16Rows : MaxRows;
        return rows >= 1 && rows <= maxRows ? rows : 0;
    }

    /// <summary>x [.., K] → [.., N] in x's dtype (call only when <see cref="Applies"/> is true).</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias)
    {
        var op = GemvOperand.Of(weight, bias);
        int k = op.K, n = op.N;
        var rows = (int)(x.numel() / k);
        var output = EmptyOutput(TensorShape.Of(x), n, op.DType);
        var sliceRows = (int)Math.Min(n, MaxSliceBytes / op.RowBytes / RowBlock * RowBlock);
        if (sliceRows == n)
        {
            Multiply(x, rows, k, [op], [output], 0);
            return output;
        }
        // A span covers at most int.MaxValue bytes: very large weights (e.g. a float32 lm_head of a 7B model) go in
        // slices of whole rows, each a multiple of the row block.
        for (var first = 0; first < n; first += sliceRows)
        {
            using var slice = weight.narrow(0, first, Math.Min(sliceRows, n - first));
            Multiply(x, rows, k, [GemvOperand.Of(slice, bias)], [output], first);
        }
        return output;
    }

    /// <summary>
    /// x against the weights of <paramref name="operands"/> (all with x's dtype and input size, e.g. the query, key
    /// and value projections) in one hand-off to the workers, their rows split between threads as one sequence.
    /// Returns false (and nothing is computed) unless the kernel applies: the same conditions as <see cref="Applies"/>,
    /// checked on x once and on the cached operands. Each output is bit-identical to <see cref="Forward"/> on that
    /// weight alone.
    /// </summary>
    public static bool TryForward(Tensor x, GemvOperand[] operands, out Tensor[] outputs, Func<GemvOperand[]>? next = null)
    {
        ArgumentNullException.ThrowIfNull(operands);
        outputs = [];
        if (!DecodeKernels.Enabled || !DecodeKernels.Supported || operands.Length == 0) return false;
        var first = operands[0];
        foreach (var op in operands)
            if (!op.Usable || op.K != first.K || op.DType != first.DType || op.Bytes > MaxSliceBytes) return false;
        var rows = InputRows(x, first, out var shape);
        if (rows == 0) return false;
        outputs = new Tensor[operands.Length];
        for (var i = 0; i < operands.Length; i++) outputs[i] = EmptyOutput(shape, operands[i].N, first.DType);
        Multiply(x, (int)rows, first.K, operands, outputs, 0);
        if (next is not null) PrefetchInBackground(next());
        return true;
    }

    /// <summary>Most bytes of each thread's share of the next product touched in the gap before it.</summary>
    private const long GapPrefetchBytes = 512 * 1024;

    /// <summary>
    /// Between two products of a decoding step the caller runs small operations (norms, attention, residuals) and the
    /// memory bus would idle: the first worker reads ahead the first lines of each thread's share of the next product
    /// (split as <see cref="Multiply"/> will split it), alternating between the shares, until the caller's next kernel
    /// call stops it or <see cref="GapPrefetchBytes"/> per share are read.
    /// </summary>
    private static void PrefetchInBackground(GemvOperand[] next)
    {
        if (next.Length == 0 || next.Any(o => !o.Usable)) return;
        var split = Split(next.Sum(o => o.N));
        var starts = new nint[split.Workers];
        var lengths = new long[split.Workers];
        for (var w = 0; w < split.Workers; w++)
        {
            // Only the share's first segment (its rows inside one operand): enough for the gap.
            var (start, _) = split.Share(w);
            var offset = 0;
            foreach (var op in next)
            {
                if (start < offset + op.N)
                {
                    starts[w] = op.Weight + (nint)((start - offset) * op.RowBytes);
                    lengths[w] = Math.Min(GapPrefetchBytes, (offset + op.N - start) * op.RowBytes);
                    break;
                }
                offset += op.N;
            }
        }
        WeightReadAhead.Offer(starts.Select((start, w) => new WeightReadAhead.Range(start, lengths[w])).ToArray());
        KernelWorkers.RunInBackground(stop => Touch(starts, lengths, stop));
    }

    private static int _touched;

    /// <summary>Reads one value per cache line of each range, alternating between the ranges, checking <paramref name="stop"/> every 1 KB.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Touch(nint[] starts, long[] lengths, Func<bool> stop)
    {
        var sum = 0;
        var longest = lengths.Max();
        for (long offset = 0; offset < longest; offset += 1024)
        {
            if (stop()) break;
            for (var r = 0; r < starts.Length; r++)
            {
                var end = Math.Min(offset + 1024, lengths[r]);
                for (var o = offset; o < end; o += 64) sum += *(int*)((byte*)starts[r] + o);
            }
        }
        Volatile.Write(ref _touched, sum);
    }

    private static Tensor EmptyOutput(long[] inputShape, int features, ScalarType dtype)
    {
        var shape = (long[])inputShape.Clone();
        shape[^1] = features;
        return empty(shape, dtype);
    }

    /// <summary>How <paramref name="total"/> weight rows are split between the torch thread count's worth of workers.</summary>
    private static RowSplit Split(int total)
    {
        var blocks = (total + RowBlock - 1) / RowBlock;
        return new RowSplit(total, blocks, Math.Clamp(Math.Max(1, torch.get_num_threads()), 1, Math.Max(1, blocks)));
    }

    /// <summary>Weight rows split into contiguous shares of whole row blocks, one per worker.</summary>
    private readonly record struct RowSplit(int Total, int Blocks, int Workers)
    {
        /// <summary>Rows [Start, End) of worker <paramref name="w"/>.</summary>
        public (int Start, int End) Share(int w) =>
            ((int)((long)Blocks * w / Workers) * RowBlock, Math.Min(Total, (int)((long)Blocks * (w + 1) / Workers) * RowBlock));
    }

    /// <summary>
    /// Fills outputs[i] [rows, N] from x [rows, K] and the weight of operands[i]. The weight rows of all operands form one
    /// sequence split between the threads; <paramref name="firstFeature"/> is the output feature of the first weight
    /// row (non-zero for a slice of a larger weight, with a single operand).
    /// </summary>
    private static unsafe void Multiply(Tensor x, int rows, int k, GemvOperand[] operands, Tensor[] outputs, int firstFeature)
    {
        var bf16 = operands[0].DType == ScalarType.BFloat16;
        var xs = ArrayPool<float>.Shared.Rent(rows * k);
        try
        {
            ActivationsAsFloat(x, xs, rows, k, bf16);
            fixed (float* xp = xs)
            {
                var jobs = new Job[operands.Length];
                var total = 0;
                for (var i = 0; i < operands.Length; i++)
                {
                    var op = operands[i];
                    if (!op.Usable) throw new ArgumentException($"Operand {i} is not usable by the kernel (check Applies first).", nameof(operands));
                    var features = (int)outputs[i].size(-1);
                    if (firstFeature + op.N > features || (op.Bias != 0 && firstFeature + op.N > op.BiasLength))
                        throw new ArgumentException($"Weight rows {firstFeature}…{firstFeature + op.N} exceed the output's {features} features or the bias.");
                    jobs[i] = new Job(op.Weight, (nint)xp, TensorMemory.Address(outputs[i]), op.Bias, rows, features, k, bf16, firstFeature, op.N, total);
                    total += op.N;
                }
                var split = Split(total);
                KernelWorkers.Run(split.Workers, w =>
                {
                    var (start, end) = split.Share(w);
                    foreach (var job in jobs)
                    {
                        var from = Math.Max(start, job.Offset) - job.Offset;
                        var to = Math.Min(end, job.Offset + job.Count) - job.Offset;
                        if (from < to) Run(job, from, to);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(xs);
        }
    }

    /// <summary>
    /// Addresses and sizes of one product: the weight rows of this slice, the float32 activations, the output [Rows, N]
    /// and the bias [N] (0 when absent) in the weights' dtype; First, the output feature of the slice's first weight
    /// row; Count, its weight rows; Offset, where they start in the sequence of all products' rows.
    /// </summary>
    private readonly record struct Job(nint Weight, nint X, nint Y, nint Bias, int Rows, int N, int K, bool BFloat16, int First,
        int Count, int Offset);

    /// <summary>
    /// Slice rows [start, end) (output features First + start …) for every activation row: the float32 dot product,
    /// plus the bias in float32, stored in the output dtype (bfloat16 rounded to nearest-even).
    /// </summary>
    /// <remarks>
    /// Weight rows are read strictly in order, each once from memory (for the second and later activation rows it is
    /// still in L1): one sequential stream per thread, which the hardware prefetcher follows best — interleaving four
    /// rows 1.8 KB apart measured 40 % slower.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Run(Job job, int start, int end)
    {
        for (var f = start; f < end; f++)
        {
            var feature = job.First + f;
            var bias = job.Bias == 0 ? 0f
                : job.BFloat16 ? BFloat16Bits.ToFloat(((ushort*)job.Bias)[feature]) : ((float*)job.Bias)[feature];
            var m = 0;
            if (job.BFloat16)
            {
                var w = (ushort*)job.Weight + (long)f * job.K;
                // Four activation rows share each converted weight vector; the per-row arithmetic is DotBf16's exactly.
                for (; m + 4 <= job.Rows; m += 4)
                {
                    var x = (float*)job.X + (long)m * job.K;
                    DotBf16FourRows(w, x, job.K, out var d0, out var d1, out var d2, out var d3);
                    var y = (ushort*)job.Y + (long)m * job.N + feature;
                    y[0] = BFloat16Bits.FromFloat(d0 + bias);
                    y[job.N] = BFloat16Bits.FromFloat(d1 + bias);
                    y[2L * job.N] = BFloat16Bits.FromFloat(d2 + bias);
                    y[3L * job.N] = BFloat16Bits.FromFloat(d3 + bias);
                }
                for (; m < job.Rows; m++)
                    ((ushort*)job.Y)[(long)m * job.N + feature] = BFloat16Bits.FromFloat(DotBf16(w, (float*)job.X + (long)m * job.K, job.K) + bias);
            }
            else
            {
                for (; m < job.Rows; m++)
                    ((float*)job.Y)[(long)m * job.N + feature] =
                        DotF32((float*)job.Weight + (long)f * job.K, (float*)job.X + (long)m * job.K, job.K) + bias;
            }
        }
    }

    /// <summary>
    /// <see cref="DotBf16"/> for four consecutive activation rows (K apart) at once: each weight vector is loaded and
    /// split once, and each row keeps DotBf16's own four chains and summation order, so every result is bit-identical
    /// to DotBf16 on that row alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void DotBf16FourRows(ushort* w, float* x, int k, out float d0, out float d1, out float d2, out float d3)
    {
        var high = Vector256.Create(0xFFFF0000u);
        Vector256<float> ae0 = default, ao0 = default, be0 = default, bo0 = default;
        Vector256<float> ae1 = default, ao1 = default, be1 = default, bo1 = default;
        Vector256<float> ae2 = default, ao2 = default, be2 = default, bo2 = default;
        Vector256<float> ae3 = default, ao3 = default, be3 = default, bo3 = default;
        float* x1 = x + k, x2 = x + 2L * k, x3 = x + 3L * k;
        var i = 0;
        // Deliberately unrolled over the four activation rows: each loaded weight vector feeds four rows' accumulators,
        // so the weights are read once for all of them (the row blocks below repeat one another on purpose).
        for (; i + 32 <= k; i += 32)
        {
            Prefetch(w + i);
            var wv = Vector256.Load((uint*)(w + i));
            var wu = Vector256.Load((uint*)(w + i + 16));
            var we = Vector256.ShiftLeft(wv, 16).AsSingle();
            var wo = (wv & high).AsSingle();
            var ue = Vector256.ShiftLeft(wu, 16).AsSingle();
            var uo = (wu & high).AsSingle();
            ae0 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x + i), ae0);
            ao0 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x + i + 8), ao0);
            be0 = Vector256.FusedMultiplyAdd(ue, Vector256.Load(x + i + 16), be0);
            bo0 = Vector256.FusedMultiplyAdd(uo, Vector256.Load(x + i + 24), bo0);
            ae1 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x1 + i), ae1);
            ao1 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x1 + i + 8), ao1);
            be1 = Vector256.FusedMultiplyAdd(ue, Vector256.Load(x1 + i + 16), be1);
            bo1 = Vector256.FusedMultiplyAdd(uo, Vector256.Load(x1 + i + 24), bo1);
            ae2 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x2 + i), ae2);
            ao2 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x2 + i + 8), ao2);
            be2 = Vector256.FusedMultiplyAdd(ue, Vector256.Load(x2 + i + 16), be2);
            bo2 = Vector256.FusedMultiplyAdd(uo, Vector256.Load(x2 + i + 24), bo2);
            ae3 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x3 + i), ae3);
            ao3 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x3 + i + 8), ao3);
            be3 = Vector256.FusedMultiplyAdd(ue, Vector256.Load(x3 + i + 16), be3);
            bo3 = Vector256.FusedMultiplyAdd(uo, Vector256.Load(x3 + i + 24), bo3);
        }
        if (i < k)
        {
            var wv = Vector256.Load((uint*)(w + i));
            var we = Vector256.ShiftLeft(wv, 16).AsSingle();
            var wo = (wv & high).AsSingle();
            ae0 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x + i), ae0);
            ao0 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x + i + 8), ao0);
            ae1 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x1 + i), ae1);
            ao1 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x1 + i + 8), ao1);
            ae2 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x2 + i), ae2);
            ao2 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x2 + i + 8), ao2);
            ae3 = Vector256.FusedMultiplyAdd(we, Vector256.Load(x3 + i), ae3);
            ao3 = Vector256.FusedMultiplyAdd(wo, Vector256.Load(x3 + i + 8), ao3);
        }
        d0 = Vector256.Sum((ae0 + be0) + (ao0 + bo0));
        d1 = Vector256.Sum((ae1 + be1) + (ao1 + bo1));
        d2 = Vector256.Sum((ae2 + be2) + (ao2 + bo2));
        d3 = Vector256.Sum((ae3 + be3) + (ao3 + bo3));
    }

    /// <summary>
    /// One bfloat16 weight row against one float32 activation row laid out as [8 even k, 8 odd k] per 16-element group:
    /// a 32-bit lane of the weights holds the pair (k even in the low half, k odd in the high half), so the odd weight
    /// is the lane with its low half cleared and the even one the lane shifted left by 16 — two ALU operations per 16
    /// weights instead of a widening conversion. Four accumulator chains; a fixed summation order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float DotBf16(ushort* w, float* x, int k)
    {
        var high = Vector256.Create(0xFFFF0000u);
        Vector256<float> ae = default, ao = default, be = default, bo = default;
        var i = 0;
        for (; i + 32 <= k; i += 32)
        {
            Prefetch(w + i);
            var wv = Vector256.Load((uint*)(w + i));
            var wu = Vector256.Load((uint*)(w + i + 16));
            ae = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(wv, 16).AsSingle(), Vector256.Load(x + i), ae);
            ao = Vector256.FusedMultiplyAdd((wv & high).AsSingle(), Vector256.Load(x + i + 8), ao);
            be = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(wu, 16).AsSingle(), Vector256.Load(x + i + 16), be);
            bo = Vector256.FusedMultiplyAdd((wu & high).AsSingle(), Vector256.Load(x + i + 24), bo);
        }
        if (i < k)
        {
            var wv = Vector256.Load((uint*)(w + i));
            ae = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(wv, 16).AsSingle(), Vector256.Load(x + i), ae);
            ao = Vector256.FusedMultiplyAdd((wv & high).AsSingle(), Vector256.Load(x + i + 8), ao);
        }
        return Vector256.Sum((ae + be) + (ao + bo));
    }

    /// <summary>One float32 weight row against one activation row: four accumulator chains, a fixed summation order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float DotF32(float* w, float* x, int k)
    {
        Vector256<float> a = default, b = default, c = default, d = default;
        var i = 0;
        for (; i + 32 <= k; i += 32)
        {
            Prefetch(w + i);
            Prefetch(w + i + 16);
            a = Vector256.FusedMultiplyAdd(Vector256.Load(w + i), Vector256.Load(x + i), a);
            b = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 8), Vector256.Load(x + i + 8), b);
            c = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 16), Vector256.Load(x + i + 16), c);
            d = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 24), Vector256.Load(x + i + 24), d);
        }
        if (i < k)
        {
            a = Vector256.FusedMultiplyAdd(Vector256.Load(w + i), Vector256.Load(x + i), a);
            b = Vector256.FusedMultiplyAdd(Vector256.Load(w + i + 8), Vector256.Load(x + i + 8), b);
        }
        return Vector256.Sum((a + b) + (c + d));
    }

    /// <summary>Asks for the cache line <see cref="PrefetchBytes"/> after <paramref name="weight"/> (never faults, even past the end).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(void* weight)
    {
        if (Sse.IsSupported) Sse.Prefetch0((byte*)weight + PrefetchBytes);
    }

    /// <summary>
    /// The activations as float32 [rows, K]; for bfloat16 each 16-element group is reordered to [8 even, 8 odd] to match
    /// <see cref="DotBf16"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ActivationsAsFloat(Tensor x, float[] result, int rows, int k, bool bf16)
    {
        var count = rows * k;
        if (!bf16)
        {
            new ReadOnlySpan<float>((float*)TensorMemory.Address(x), count).CopyTo(result);
            return;
        }
        var raw = (ushort*)TensorMemory.Address(x);
        for (var m = 0; m < rows; m++)
            for (var g = 0; g < k; g += 16)
                for (var j = 0; j < 8; j++)
                {
                    result[m * k + g + j] = BFloat16Bits.ToFloat(raw[m * k + g + 2 * j]);
                    result[m * k + g + 8 + j] = BFloat16Bits.ToFloat(raw[m * k + g + 2 * j + 1]);
                }
    }
}
