using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OrzDynamic.Core.Models;

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

    /// <summary>Eight bfloat16 values at <paramref name="source"/> as float32 lanes (in order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> LoadEight(ushort* source) =>
        Vector256.ShiftLeft(Vector256.WidenLower(Vector128.Load(source).ToVector256Unsafe()), 16).AsSingle();

    /// <summary>
    /// <paramref name="count"/> elements at <paramref name="source"/> (bfloat16 when <paramref name="bf16"/>, else
    /// float32) into <paramref name="destination"/> as float32.
    /// </summary>
    public static unsafe void ToFloat(void* source, bool bf16, float* destination, int count)
    {
        if (!bf16)
        {
            Buffer.MemoryCopy(source, destination, count * 4L, count * 4L);
            return;
        }
        var s = (ushort*)source;
        var i = 0;
        for (; i + 8 <= count; i += 8) LoadEight(s + i).Store(destination + i);
        for (; i < count; i++) destination[i] = ToFloat(s[i]);
    }

    /// <summary>
    /// <paramref name="count"/> float32 values into <paramref name="destination"/> in the output dtype (bfloat16 rounded
    /// to nearest-even when <paramref name="bf16"/>).
    /// </summary>
    public static unsafe void FromFloat(float* source, bool bf16, void* destination, int count)
    {
        if (!bf16)
        {
            Buffer.MemoryCopy(source, destination, count * 4L, count * 4L);
            return;
        }
        var d = (ushort*)destination;
        for (var i = 0; i < count; i++) d[i] = FromFloat(source[i]);
    }
}
