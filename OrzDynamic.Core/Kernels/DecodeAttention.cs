using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OrzDynamic.Metrics;
using OrzDynamic.Metrics.Kernels;
using OrzDynamic.Metrics.Runtime;
using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// Attention of a decoding step (one new query per row) over the KV cache, in C#: for each row and key/value head,
/// the G query heads that share it score every key the row may see, take a softmax and average the values — all in
/// float32 (bfloat16 inputs are exact in float32; the output is rounded once), with <see cref="VectorExp"/>'s
/// exponential. Memory is linear in the keys ([G, keys] scores per task); nothing of size [heads, T, S] exists.
/// <para>
/// The keys a row may see are gathered first, so the arithmetic runs over that list in order: a row's result is the
/// same bits whether or not other rows' padding shifted its keys to other slots, and whatever rows share the step.
/// Rows and key/value heads are split between <see cref="KernelWorkers"/> (each task's arithmetic is the same on any
/// thread).
/// </para>
/// </summary>
internal static class DecodeAttention
{
    /// <summary>
    /// Multiply–adds of one step (keys × heads × rows × D, for q·k and again for the values) below which it runs on
    /// the calling thread: 2^18, about 40 µs of arithmetic here, several times a hand-off to a worker.
    /// </summary>
    private const long ParallelWork = 1L << 18;

    /// <summary>
    /// True for q [B, heads, 1, D] (contiguous, D a multiple of 8) against the cache's layer storage of the same dtype,
    /// when the storage fits a span and the key padding (if any) is a contiguous boolean [B, keys] CPU tensor.
    /// </summary>
    public static bool Applies(Tensor q, Tensor keys, Tensor values, Tensor? keyPadding) =>
        DecodeKernels.InputShape(q, q.dtype) is [var b, var heads, 1, var d]
        && StorageApplies(keys, values, q.dtype, b, heads, d) && PaddingApplies(keyPadding);

    /// <summary>
    /// The layer storage: keys and values contiguous CPU tensors of <paramref name="dtype"/> and one shape [B, kvHeads,
    /// capacity, D] with B = <paramref name="rows"/>, D = <paramref name="d"/> (a multiple of 8), kvHeads dividing
    /// <paramref name="heads"/>, each within one span.
    /// </summary>
    private static bool StorageApplies(Tensor keys, Tensor values, ScalarType dtype, long rows, long heads, long d)
    {
        if (d == 0 || d % 8 != 0 || keys.dtype != dtype || values.dtype != dtype) return false;
        if (keys.device_type != DeviceType.CPU || values.device_type != DeviceType.CPU || !keys.is_contiguous() || !values.is_contiguous()) return false;
        var store = TensorShape.Of(keys);
        return store is [var b, var kvHeads, _, var sd] && b == rows && sd == d && kvHeads > 0 && heads % kvHeads == 0
            && TensorShape.Of(values).SequenceEqual(store) && keys.numel() * keys.element_size() <= int.MaxValue;
    }

    /// <summary>No padding, or a contiguous boolean CPU tensor.</summary>
    private static bool PaddingApplies(Tensor? keyPadding) =>
        keyPadding is null || (keyPadding.dtype == ScalarType.Bool && keyPadding.device_type == DeviceType.CPU && keyPadding.is_contiguous());

    /// <summary>
    /// o [B, heads, 1, D] in q's dtype: softmax(q·kᵀ / √D) v over key slots [0, <paramref name="keyCount"/>) of the
    /// cache layer storage <paramref name="keys"/>, <paramref name="values"/> [B, kvHeads, capacity, D], where a row
    /// sees slot j when <paramref name="keyPadding"/>[b, j] is true (or it is null) and always sees its own, last slot.
    /// </summary>
    public static unsafe Tensor Forward(Tensor q, Tensor keys, Tensor values, long keyCount, Tensor? keyPadding)
    {
        var shape = TensorShape.Of(q);
        int rows = (int)shape[0], heads = (int)shape[1], d = (int)shape[3];
        CheckSlots(rows, keys, keyCount, keyPadding);
        var output = empty(shape, q.dtype);
        var queries = ArrayPool<float>.Shared.Rent(rows * heads * d);
        try
        {
            var qp = (byte*)TensorMemory.Address(q);
            fixed (float* qf = queries)
            {
                BFloat16Bits.ToFloat(qp, q.dtype == ScalarType.BFloat16, qf, rows * heads * d);
                Attend(qf, keys, values, output, heads, keyCount, keyPadding);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(queries);
        }
        return output;
    }

    /// <summary>
    /// Qwen3's per-head RMSNorms of the queries and keys (weights [D]), applied by <see cref="Step"/> to each head of the
    /// projections before the rotation, with <see cref="RmsNorm"/>'s arithmetic (as <see cref="DecodeRmsNorm"/>).
    /// </summary>
    internal sealed record HeadNorms(DecodeRmsNorm.Scale Query, DecodeRmsNorm.Scale Key, double Eps)
    {
        /// <summary>Both weights usable by the kernel, of <paramref name="dtype"/> and <paramref name="d"/> elements.</summary>
        public bool Apply(ScalarType dtype, long d) =>
            Query.Usable && Key.Usable && Query.DType == dtype && Key.DType == dtype && Query.Size == d && Key.Size == d;
    }

    /// <summary>
    /// True when <see cref="Step"/> applies: the projections [B, 1, heads·D] and [B, 1, kvHeads·D] (contiguous, D a
    /// multiple of 8 and even), the rotary tables [B, 1, 1, D], the cache storage and the head norms (if any) all of
    /// one dtype on the CPU.
    /// </summary>
    public static bool AppliesToStep(Tensor q, Tensor k, Tensor v, Tensor cos, Tensor sin, Tensor keys, Tensor values, Tensor? keyPadding,
        HeadNorms? norms = null)
    {
        var dtype = keys.dtype;
        if (DecodeKernels.InputShape(q, dtype) is not [var b, 1, var width] || TensorShape.Of(keys) is not [_, var kvHeads, _, var d] || d == 0 || width % d != 0)
            return false;
        if (!StorageApplies(keys, values, dtype, b, width / d, d) || !PaddingApplies(keyPadding) || !DecodeRotary.TablesApply(cos, sin, dtype, b, d))
            return false;
        if (norms is not null && !norms.Apply(dtype, d)) return false;
        foreach (var projection in new[] { k, v })
            if (DecodeKernels.InputShape(projection, dtype) is not [var pb, 1, var pf] || pb != b || pf != kvHeads * d) return false;
        return true;
    }

    /// <summary>
    /// A whole attention step from the projections (q [B, 1, heads·D], k and v [B, 1, kvHeads·D]): normalises each
    /// head of q and k when <paramref name="norms"/> is given (rounded to the dtype, as <see cref="DecodeRmsNorm"/>
    /// stores it), rotates q and k (as <see cref="DecodeRotary"/>, rounded to the dtype), writes k and v into cache
    /// slot <paramref name="slot"/> of the layer storage, and attends over slots [0, slot] (see <see cref="Forward"/>).
    /// Returns [B, 1, heads·D], the output projection's input. Call only when <see cref="AppliesToStep"/> is true (with
    /// the same <paramref name="norms"/>) and the storage has the slot.
    /// </summary>
    public static unsafe Tensor Step(Tensor q, Tensor k, Tensor v, Tensor cos, Tensor sin, Tensor keys, Tensor values, long slot, Tensor? keyPadding,
        HeadNorms? norms = null)
    {
        var shape = TensorShape.Of(q);
        int rows = (int)shape[0], d = (int)keys.size(3), kvHeads = (int)keys.size(1), capacity = (int)keys.size(2);
        var heads = (int)(shape[2] / d);
        CheckSlots(rows, keys, slot + 1, keyPadding);
        var output = empty(shape, q.dtype);
        // The float32 queries [B, heads, D], then the work space: cos, sin, source and rotated head, the two norm
        // weights and one normalised head in the dtype (at most D floats' bytes).
        var buffer = ArrayPool<float>.Shared.Rent(rows * heads * d + 7 * d);
        try
        {
            StepInto(buffer, q, k, v, cos, sin, keys, values, output, slot, keyPadding, norms, rows, heads, kvHeads, capacity, d);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
        return output;
    }

    /// <summary><see cref="Step"/>'s work with <paramref name="buffer"/> (at least B·heads·D + 7·D floats) as scratch space.</summary>
    private static unsafe void StepInto(float[] buffer, Tensor q, Tensor k, Tensor v, Tensor cos, Tensor sin, Tensor keys, Tensor values,
        Tensor output, long slot, Tensor? keyPadding, HeadNorms? norms, int rows, int heads, int kvHeads, int capacity, int d)
    {
        var bf16 = q.dtype == ScalarType.BFloat16;
        var size = bf16 ? 2 : 4;
        var qp = (byte*)TensorMemory.Address(q);
        var kp = (byte*)TensorMemory.Address(k);
        var vp = (byte*)TensorMemory.Address(v);
        var cp = (byte*)TensorMemory.Address(cos);
        var sp = (byte*)TensorMemory.Address(sin);
        var keyStore = (byte*)TensorMemory.Address(keys);
        var valueStore = (byte*)TensorMemory.Address(values);
        fixed (float* qf = buffer)
        {
            var w = qf + rows * heads * d;
            float* c = w, s = w + d, x = w + 2 * d, rotated = w + 3 * d, queryNorm = w + 4 * d, keyNorm = w + 5 * d;
            var normalised = (byte*)(w + 6 * d);
            var eps = 0f;
            if (norms is not null)
            {
                BFloat16Bits.ToFloat((void*)norms.Query.Address, bf16, queryNorm, d);
                BFloat16Bits.ToFloat((void*)norms.Key.Address, bf16, keyNorm, d);
                eps = (float)norms.Eps;
            }
            // A head of a projection, normalised first when there are head norms, rotated into `rotated`.
            void Rotate(byte* head, float* weight)
            {
                if (norms is not null)
                {
                    DecodeRmsNorm.NormaliseRow(head, normalised, x, weight, d, eps, bf16);
                    head = normalised;
                }
                DecodeRotary.RotateHead(head, c, s, x, rotated, d, bf16);
            }
            for (var r = 0; r < rows; r++)
            {
                DecodeRotary.LoadTables(cp, sp, r, d, bf16, c, s);
                for (var h = 0; h < heads; h++)
                {
                    // The query rounded to the dtype, as the separate rotary kernel would store it, then kept in float32.
                    var qh = qf + ((long)r * heads + h) * d;
                    Rotate(qp + ((long)r * heads + h) * d * size, queryNorm);
                    new Span<float>(rotated, d).CopyTo(new Span<float>(qh, d));
                    if (bf16) BFloat16Bits.RoundInPlace(qh, d);
                }
                for (var h = 0; h < kvHeads; h++)
                {
                    var cacheSlot = (((long)r * kvHeads + h) * capacity + slot) * d * size;
                    Rotate(kp + ((long)r * kvHeads + h) * d * size, keyNorm);
                    BFloat16Bits.FromFloat(rotated, bf16, keyStore + cacheSlot, d);
                    Buffer.MemoryCopy(vp + ((long)r * kvHeads + h) * d * size, valueStore + cacheSlot, (long)d * size, (long)d * size);
                }
            }
            Attend(qf, keys, values, output, heads, slot + 1, keyPadding);
        }
    }

    private static void CheckSlots(int rows, Tensor keys, long keyCount, Tensor? keyPadding)
    {
        var capacity = keys.size(2);
        if (keyCount < 1 || keyCount > capacity) throw new ArgumentOutOfRangeException(nameof(keyCount), keyCount, $"Outside the cache's 1…{capacity} slots.");
        if (keyPadding is not null && (keyPadding.dim() != 2 || keyPadding.size(0) != rows || keyPadding.size(1) < keyCount))
            throw new ArgumentException($"keyPadding must be [B={rows}, ≥{keyCount}], got [{string.Join(", ", keyPadding.shape)}].", nameof(keyPadding));
    }

    /// <summary>The attention proper, from float32 queries [B, heads, D] into <paramref name="output"/> (dtype of the storage).</summary>
    private static unsafe void Attend(float* queries, Tensor keys, Tensor values, Tensor output, int heads, long keyCount, Tensor? keyPadding)
    {
        int rows = (int)keys.size(0), kvHeads = (int)keys.size(1), capacity = (int)keys.size(2), d = (int)keys.size(3);
        var threads = Math.Max(1, torch.get_num_threads());
        var kp = (byte*)TensorMemory.Address(keys);
        var vp = (byte*)TensorMemory.Address(values);
        var op = (byte*)TensorMemory.Address(output);
        var pp = keyPadding is null ? null : (byte*)TensorMemory.Address(keyPadding);
        {
            var job = new Job((nint)queries, (nint)kp, (nint)vp, (nint)op, keyPadding is null ? 0 : (nint)pp,
                heads, kvHeads, d, capacity, (int)keyCount, keyPadding is null ? 0 : (int)keyPadding.size(1),
                keys.dtype == ScalarType.BFloat16, 1f / MathF.Sqrt(d));
            var tasks = rows * kvHeads;
            // Short contexts: handing a task to another thread costs more than it saves.
            var work = keyCount * heads * rows * (long)d;
            var parts = work < ParallelWork ? 1 : Math.Clamp(threads, 1, tasks);
            KernelWorkers.Run(parts, part =>
            {
                var start = (int)((long)tasks * part / parts);
                var end = (int)((long)tasks * (part + 1) / parts);
                for (var task = start; task < end; task++) Run(job, task / kvHeads, task % kvHeads);
            });
        }
    }

    /// <summary>
    /// Addresses and sizes of one step: float32 queries [B, heads, D], the cache storage, the output and the padding
    /// (PaddingStride = the padding's row length, 0 without padding).
    /// </summary>
    private readonly record struct Job(nint Q, nint Keys, nint Values, nint Output, nint Padding, int Heads, int KvHeads, int D,
        int Capacity, int KeyCount, int PaddingStride, bool BFloat16, float Scale);

    /// <summary>Keys converted to float32 and used by every query head before the next block (16 KB at D = 64: L1).</summary>
    private const int KeyBlock = 64;

    /// <summary>Row <paramref name="row"/>, key/value head <paramref name="kvHead"/> and its G query heads.</summary>
    /// <remarks>
    /// Keys and values are taken in blocks of <see cref="KeyBlock"/> visible keys, converted to float32 once and used by
    /// all G heads. Scores come eight keys at a time (eight multiply–add chains over D, then one transposing lane
    /// reduction), the last group padded with zero keys, so every score is reduced the same way; each output element
    /// accumulates p·v over the keys in order.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Run(Job job, int row, int kvHead)
    {
        int d = job.D, g = job.Heads / job.KvHeads, size = job.BFloat16 ? 2 : 4;
        var slots = ArrayPool<int>.Shared.Rent(job.KeyCount);
        try
        {
            // The slots this row may see, in order: its own last slot always, the others unless padding.
            var n = 0;
            var padding = (bool*)job.Padding + (long)row * job.PaddingStride;
            for (var j = 0; j < job.KeyCount; j++)
                if (job.Padding == 0 || j == job.KeyCount - 1 || padding[j]) slots[n++] = j;
            var width = (n + 7) & ~7; // score rows padded to whole vectors (the padding lanes get weight 0)
            var floats = ArrayPool<float>.Shared.Rent(g * d * 2 + KeyBlock * d + g * width);
            try
            {
                fixed (int* slot = slots)
                fixed (float* buffer = floats)
                {
                    float* queries = buffer, sums = buffer + g * d, block = sums + g * d, scores = block + KeyBlock * d;
                    var firstHead = kvHead * g;
                    new Span<float>((float*)job.Q + ((long)row * job.Heads + firstHead) * d, g * d).CopyTo(new Span<float>(queries, g * d));
                    var cacheRow = ((long)row * job.KvHeads + kvHead) * job.Capacity;
                    var keys = (byte*)job.Keys + cacheRow * d * size;
                    var values = (byte*)job.Values + cacheRow * d * size;

                    for (var first = 0; first < n; first += KeyBlock)
                    {
                        var count = Math.Min(KeyBlock, n - first);
                        Gather(keys, slot + first, count, d, job.BFloat16, block);
                        for (var h = 0; h < g; h++) ScoreBlock(queries + h * d, block, count, d, job.Scale, scores + h * width + first);
                    }
                    var inverse = stackalloc float[g];
                    for (var h = 0; h < g; h++) inverse[h] = 1f / Softmax(scores + h * width, n, width);

                    new Span<float>(sums, g * d).Clear();
                    for (var first = 0; first < n; first += KeyBlock)
                    {
                        var count = Math.Min(KeyBlock, n - first);
                        Gather(values, slot + first, count, d, job.BFloat16, block);
                        for (var h = 0; h < g; h++) AccumulateBlock(sums + h * d, block, scores + h * width + first, count, d);
                    }
                    for (var h = 0; h < g; h++)
                    {
                        var o = sums + h * d;
                        for (var i = 0; i < d; i++) o[i] *= inverse[h];
                        BFloat16Bits.FromFloat(o, job.BFloat16, (byte*)job.Output + ((long)row * job.Heads + firstHead + h) * d * size, d);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(floats);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(slots);
        }
    }

    /// <summary>Rows slot[0 … count) of a cache head ([capacity, D] in the storage dtype) as float32 [count, D].</summary>
    private static unsafe void Gather(byte* head, int* slot, int count, int d, bool bf16, float* block)
    {
        var size = bf16 ? 2 : 4;
        for (var t = 0; t < count; t++) BFloat16Bits.ToFloat(head + (long)slot[t] * d * size, bf16, block + t * d, d);
    }

    /// <summary>scores[t] = (q · block[t]) · scale for t &lt; count, eight keys per pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void ScoreBlock(float* q, float* block, int count, int d, float scale, float* scores)
    {
        var factor = Vector256.Create(scale);
        var lanes = stackalloc float[8];
        for (var t = 0; t < count; t += 8)
        {
            var keys = Math.Min(8, count - t);
            var k = block + t * d;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (var i = 0; i < d; i += 8)
            {
                var qv = Vector256.Load(q + i);
                a0 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + i), a0);
                if (keys > 1) a1 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + d + i), a1);
                if (keys > 2) a2 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + 2 * d + i), a2);
                if (keys > 3) a3 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + 3 * d + i), a3);
                if (keys > 4) a4 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + 4 * d + i), a4);
                if (keys > 5) a5 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + 5 * d + i), a5);
                if (keys > 6) a6 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + 6 * d + i), a6);
                if (keys > 7) a7 = Vector256.FusedMultiplyAdd(qv, Vector256.Load(k + 7 * d + i), a7);
            }
            var sums = LaneSums(a0, a1, a2, a3, a4, a5, a6, a7) * factor;
            if (keys == 8)
            {
                sums.Store(scores + t);
            }
            else
            {
                sums.Store(lanes);
                for (var j = 0; j < keys; j++) scores[t + j] = lanes[j];
            }
        }
    }

    /// <summary>Lane j of the result = the sum of the eight lanes of aj (a transposing reduction).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LaneSums(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3,
        Vector256<float> a4, Vector256<float> a5, Vector256<float> a6, Vector256<float> a7)
    {
        var t0 = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
        var t1 = Avx.HorizontalAdd(Avx.HorizontalAdd(a4, a5), Avx.HorizontalAdd(a6, a7));
        return Avx.Permute2x128(t0, t1, 0x20) + Avx.Permute2x128(t0, t1, 0x31);
    }

    /// <summary>o += Σₜ p[t]·block[t] over t &lt; count in order, in registers 64 elements of D at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AccumulateBlock(float* o, float* block, float* p, int count, int d)
    {
        var c = 0;
        for (; c + 64 <= d; c += 64)
        {
            var o0 = Vector256.Load(o + c);
            var o1 = Vector256.Load(o + c + 8);
            var o2 = Vector256.Load(o + c + 16);
            var o3 = Vector256.Load(o + c + 24);
            var o4 = Vector256.Load(o + c + 32);
            var o5 = Vector256.Load(o + c + 40);
            var o6 = Vector256.Load(o + c + 48);
            var o7 = Vector256.Load(o + c + 56);
            for (var t = 0; t < count; t++)
            {
                var w = Vector256.Create(p[t]);
                var v = block + t * d + c;
                o0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v), o0);
                o1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 8), o1);
                o2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 16), o2);
                o3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 24), o3);
                o4 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 32), o4);
                o5 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 40), o5);
                o6 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 48), o6);
                o7 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 56), o7);
            }
            o0.Store(o + c);
            o1.Store(o + c + 8);
            o2.Store(o + c + 16);
            o3.Store(o + c + 24);
            o4.Store(o + c + 32);
            o5.Store(o + c + 40);
            o6.Store(o + c + 48);
            o7.Store(o + c + 56);
        }
        for (; c < d; c += 8)
        {
            var acc = Vector256.Load(o + c);
            for (var t = 0; t < count; t++) acc = Vector256.FusedMultiplyAdd(Vector256.Create(p[t]), Vector256.Load(block + t * d + c), acc);
            acc.Store(o + c);
        }
    }

    /// <summary>
    /// Replaces scores[0, n) by e^(s − max) (lanes n … width−1 by 0) and returns their sum, accumulated lane-wise in
    /// order and then across lanes (NaN everywhere when a score is NaN or infinite).
    /// </summary>
    private static unsafe float Softmax(float* scores, int n, int width)
    {
        var max = float.NegativeInfinity;
        for (var t = 0; t < n; t++) max = MathF.Max(max, scores[t]);
        if (!float.IsFinite(max))
        {
            // A NaN or infinite score (from NaN/∞ activations): the head's output is NaN, as in libtorch, not a silent 0.
            new Span<float>(scores, width).Fill(float.NaN);
            return float.NaN;
        }
        for (var t = n; t < width; t++) scores[t] = float.NegativeInfinity;
        var shift = Vector256.Create(max);
        var sum = Vector256<float>.Zero;
        for (var t = 0; t < width; t += 8)
        {
            var e = VectorExp.ExpNonPositive(Vector256.Load(scores + t) - shift);
            e.Store(scores + t);
            sum += e;
        }
        return Vector256.Sum(sum);
    }
}
