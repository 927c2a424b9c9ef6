using System.Buffers;
using System.Runtime.CompilerServices;
using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// <see cref="RotaryEmbedding.Apply"/> for the single new position of each row of a decoding step (x [B, H, 1, D],
/// cos and sin [B, 1, 1, D]) in C#: out = x·cos + rotate_half(x)·sin per element in float32, rounded once to x's dtype.
/// </summary>
internal static class DecodeRotary
{
    /// <summary>True for x [B, H, 1, D] and cos/sin [B, 1, 1, D], all contiguous CPU tensors of one dtype, D even.</summary>
    public static bool Applies(Tensor x, Tensor cos, Tensor sin) =>
        DecodeKernels.InputShape(x, x.dtype) is [var b, _, 1, var d] && d % 2 == 0
        && TablesApply(cos, sin, x.dtype, b, d);

    /// <summary>cos and sin are contiguous CPU tensors [<paramref name="rows"/>, 1, 1, <paramref name="d"/>] of <paramref name="dtype"/>.</summary>
    internal static bool TablesApply(Tensor cos, Tensor sin, ScalarType dtype, long rows, long d) =>
        DecodeKernels.InputShape(cos, dtype) is [var cb, 1, 1, var cd] && cb == rows && cd == d
        && DecodeKernels.InputShape(sin, dtype) is [var sb, 1, 1, var sd] && sb == rows && sd == d;

    /// <summary>The rotated rows as a new contiguous tensor of x's shape and dtype.</summary>
    public static unsafe Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var shape = TensorShape.Of(x);
        int rows = (int)shape[0], heads = (int)shape[1], d = (int)shape[3];
        var bf16 = x.dtype == ScalarType.BFloat16;
        var size = bf16 ? 2 : 4;
        var output = empty(shape, x.dtype);
        var buffer = ArrayPool<float>.Shared.Rent(4 * d);
        try
        {
            var xp = (byte*)TensorMemory.Address(x);
            var cp = (byte*)TensorMemory.Address(cos);
            var sp = (byte*)TensorMemory.Address(sin);
            var op = (byte*)TensorMemory.Address(output);
            fixed (float* work = buffer)
            {
                float* c = work, s = work + d, v = work + 2 * d, o = work + 3 * d;
                for (var r = 0; r < rows; r++)
                {
                    LoadTables(cp, sp, r, d, bf16, c, s);
                    for (var h = 0; h < heads; h++)
                    {
                        var offset = ((long)r * heads + h) * d * size;
                        RotateHead(xp + offset, c, s, v, o, d, bf16);
                        BFloat16Bits.FromFloat(o, bf16, op + offset, d);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
        return output;
    }

    /// <summary>Row <paramref name="row"/> of the cos and sin tables ([B, D] in the dtype) into c and s as float32.</summary>
    internal static unsafe void LoadTables(byte* cos, byte* sin, int row, int d, bool bf16, float* c, float* s)
    {
        var offset = (long)row * d * (bf16 ? 2 : 4);
        BFloat16Bits.ToFloat(cos + offset, bf16, c, d);
        BFloat16Bits.ToFloat(sin + offset, bf16, s, d);
    }

    /// <summary>One head of D elements at <paramref name="source"/> (in the dtype), rotated into <paramref name="rotated"/> (float32, not yet rounded).</summary>
    internal static unsafe void RotateHead(byte* source, float* c, float* s, float* scratch, float* rotated, int d, bool bf16)
    {
        BFloat16Bits.ToFloat(source, bf16, scratch, d);
        Rotate(scratch, c, s, rotated, d);
    }

    /// <summary>o = v·c + rotate_half(v)·s, rotate_half(v) = [−v₂, v₁] for the halves v₁, v₂.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Rotate(float* v, float* c, float* s, float* o, int d)
    {
        var half = d / 2;
        for (var i = 0; i < half; i++)
        {
            o[i] = v[i] * c[i] - v[i + half] * s[i];
            o[i + half] = v[i + half] * c[i + half] + v[i] * s[i + half];
        }
    }
}
