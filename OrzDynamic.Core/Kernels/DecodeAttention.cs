using System.Buffers;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// Attention of a decoding step (one new query per row) over the KV cache, in C#: the checks that say when it applies,
/// the fused step from the projections (head norms, rotation, cache write), and the attention proper in
/// <see cref="SplitKeyAttention"/> (float32 arithmetic on the cache's own dtype; bfloat16 inputs are exact in float32
/// and the output is rounded once). Memory is linear in the keys; nothing of size [heads, T, S] exists.
/// </summary>
internal static class DecodeAttention
{
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
                SplitKeyAttention.Attend(qf, keys, values, output, heads, keyCount, keyPadding);
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
            SplitKeyAttention.Attend(qf, keys, values, output, heads, slot + 1, keyPadding);
        }
    }

    private static void CheckSlots(int rows, Tensor keys, long keyCount, Tensor? keyPadding)
    {
        var capacity = keys.size(2);
        if (keyCount < 1 || keyCount > capacity) throw new ArgumentOutOfRangeException(nameof(keyCount), keyCount, $"Outside the cache's 1…{capacity} slots.");
        if (keyPadding is not null && (keyPadding.dim() != 2 || keyPadding.size(0) != rows || keyPadding.size(1) < keyCount))
            throw new ArgumentException($"keyPadding must be [B={rows}, ≥{keyCount}], got [{string.Join(", ", keyPadding.shape)}].", nameof(keyPadding));
    }
}
