using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>bfloat16 ↔ float32 conversions for the decoding-step kernels, rounding as libtorch does.</summary>
internal static class BFloat16Bits
{
    /// <summary>bfloat16 → float32 (exact: the 16 bits become the high half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToFloat(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float32 → bfloat16 with round-to-nearest-even (NaN stays NaN), as libtorch converts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromFloat(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x40);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    /// <summary>
    /// Sixteen 32-bit words, each two bfloat16 values, as float32: the even elements (each word's low half) and the odd
    /// ones (its high half) — a shift and a mask, no shuffle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SplitPairs(Vector512<uint> words, out Vector512<float> even, out Vector512<float> odd)
    {
        even = Vector512.ShiftLeft(words, 16).AsSingle();
        odd = (words & Vector512.Create(0xFFFF0000u)).AsSingle();
    }

    /// <summary>Eight bfloat16 values at <paramref name="source"/> as float32 lanes (in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> LoadEight(ushort* source) =>
        Vector256.ShiftLeft(Vector256.WidenLower(Vector128.Load(source).ToVector256Unsafe()), 16).AsSingle();

    /// <summary>
    /// Eight float32 lanes rounded to bfloat16 as <see cref="FromFloat(float)"/> does (nearest-even, NaN kept NaN with
    /// the same bits), returned as the float32 values those bfloat16 numbers are (exact).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> RoundEight(Vector256<float> value)
    {
        var bits = value.AsUInt32();
        var high = Vector256.Create(0xFFFF0000u);
        var rounded = (bits + Vector256.Create(0x7FFFu) + (Vector256.ShiftRightLogical(bits, 16) & Vector256.Create(1u))) & high;
        var nan = (bits & high) | Vector256.Create(0x00400000u);
        return Vector256.ConditionalSelect(Vector256.Equals(value, value).AsUInt32(), rounded, nan).AsSingle();
    }

    /// <summary>Stores eight lanes that are already bfloat16 values (<see cref="RoundEight"/>) as bfloat16 bits, in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void StoreEight(Vector256<float> rounded, ushort* destination)
    {
        var shifted = Vector256.ShiftRightLogical(rounded.AsUInt32(), 16);
        Vector256.Narrow(shifted, shifted).GetLower().Store(destination);
    }

    /// <summary>
    /// <paramref name="count"/> elements at <paramref name="source"/> (bfloat16 when <paramref name="bf16"/>, else
    /// float32) into <paramref name="destination"/> as float32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // run on the kernel workers: no shared tier-0 counters
    public static unsafe void ToFloat(void* source, bool bf16, float* destination, int count)
    {
        if (!bf16)
        {
            Buffer.MemoryCopy(source, destination, count * 4L, count * 4L);
            return;
        }
        var s = (ushort*)source;
        var i = 0;
        // Sixteen at a time where 512-bit vectors exist: one widening load, one shift and one store per sixteen, less
        // than half the time of the eight-wide loop (the decode attention converts every cache block it reads).
        if (Avx512F.IsSupported)
            for (; i + 16 <= count; i += 16)
                Vector512.ShiftLeft(Avx512F.ConvertToVector512UInt32(Vector256.Load(s + i)), 16).AsSingle().Store(destination + i);
        for (; i + 8 <= count; i += 8) LoadEight(s + i).Store(destination + i);
        for (; i < count; i++) destination[i] = ToFloat(s[i]);
    }

    /// <summary>
    /// <paramref name="count"/> float32 values into <paramref name="destination"/> in the output dtype (bfloat16 rounded
    /// to nearest-even when <paramref name="bf16"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // run on the kernel workers: no shared tier-0 counters
    public static unsafe void FromFloat(float* source, bool bf16, void* destination, int count)
    {
        if (!bf16)
        {
            Buffer.MemoryCopy(source, destination, count * 4L, count * 4L);
            return;
        }
        // The mirror of ToFloat above, written out on purpose (a deliberate unroll): each direction stays one straight
        // eight-wide loop plus a scalar tail, with no delegate or branch per block.
        var d = (ushort*)destination;
        var i = 0;
        for (; i + 8 <= count; i += 8) StoreEight(RoundEight(Vector256.Load(source + i)), d + i);
        for (; i < count; i++) d[i] = FromFloat(source[i]);
    }

    /// <summary>Rounds <paramref name="count"/> float32 values in place to the float32 values of their bfloat16 roundings.</summary>
    public static unsafe void RoundInPlace(float* values, int count)
    {
        var i = 0;
        for (; i + 8 <= count; i += 8) RoundEight(Vector256.Load(values + i)).Store(values + i);
        for (; i < count; i++) values[i] = ToFloat(FromFloat(values[i]));
    }
}
