using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>
/// RMSNorm of the rows of a decoding step (x [B, 1, hidden]) in C#, with <see cref="RmsNorm"/>'s arithmetic: the
/// mean square in float32 (eight lanes in a fixed order, so a row's result does not depend on the other rows), the
/// scaled row rounded to the input dtype, then multiplied by the weight in that dtype.
/// </summary>
internal static class DecodeRmsNorm
{
    /// <summary>True for x [B, 1, hidden] (B ≤ 64), contiguous, with a weight [hidden] of x's dtype (see <see cref="DecodeKernels.Usable"/>).</summary>
    public static bool Applies(Tensor x, Tensor weight) =>
        DecodeKernels.Usable(x) && x.dim() == 3 && x.shape[1] == 1 && x.shape[0] <= 64 && x.is_contiguous()
        && weight.dtype == x.dtype && weight.device_type == DeviceType.CPU && weight.dim() == 1 && weight.shape[0] == x.shape[2]
        && weight.is_contiguous() && x.shape[2] % 8 == 0;

    /// <summary>The normalised, scaled rows as a new tensor of x's shape and dtype.</summary>
    public static unsafe Tensor Forward(Tensor x, Tensor weight, double eps)
    {
        var rows = (int)x.shape[0];
        var n = (int)x.shape[2];
        var bf16 = x.dtype == ScalarType.BFloat16;
        var output = empty(x.shape, x.dtype);
        var buffer = new float[n * 2];
        fixed (byte* xp = x.bytes)
        fixed (byte* wp = weight.bytes)
        fixed (byte* op = output.bytes)
        fixed (float* row = buffer)
        {
            var w = row + n;
            BFloat16Bits.ToFloat(wp, bf16, w, n);
            var size = bf16 ? 2 : 4;
            for (var r = 0; r < rows; r++)
                NormaliseRow(xp + (long)r * n * size, op + (long)r * n * size, row, w, n, (float)eps, bf16);
        }
        return output;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void NormaliseRow(byte* source, byte* destination, float* row, float* weight, int n, float eps, bool bf16)
    {
        BFloat16Bits.ToFloat(source, bf16, row, n);
        var sum = Vector256<float>.Zero;
        for (var i = 0; i < n; i += 8)
        {
            var v = Vector256.Load(row + i);
            sum = Vector256.FusedMultiplyAdd(v, v, sum);
        }
        var scale = 1f / MathF.Sqrt(Vector256.Sum(sum) / n + eps);
        if (bf16)
        {
            var d = (ushort*)destination;
            for (var i = 0; i < n; i++)
            {
                // As RmsNorm: the normalised value is rounded to bfloat16, then the bfloat16 product is rounded again.
                var h = BFloat16Bits.ToFloat(BFloat16Bits.FromFloat(row[i] * scale));
                d[i] = BFloat16Bits.FromFloat(weight[i] * h);
            }
        }
        else
        {
            var d = (float*)destination;
            for (var i = 0; i < n; i++) d[i] = weight[i] * (row[i] * scale);
        }
    }
}
