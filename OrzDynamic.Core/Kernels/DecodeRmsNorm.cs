using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// RMSNorm of the rows of a decoding step (x [B, 1, hidden]) in C#, with <see cref="RmsNorm"/>'s arithmetic: the
/// mean square in float32 (eight lanes in a fixed order, so a row's result does not depend on the other rows), the
/// scaled row rounded to the input dtype, then multiplied by the weight in that dtype.
/// </summary>
internal static class DecodeRmsNorm
{
    /// <summary>Most rows handled here (a decoding step's batch).</summary>
    public const int MaxRows = 64;

    /// <summary>The norm's weight as the kernel sees it, read from libtorch once (see <see cref="GemvOperand"/> for why).</summary>
    internal sealed class Scale
    {
        private readonly IntPtr _handle;

        private Scale(Tensor weight)
        {
            _handle = weight.Handle;
            DType = weight.dtype;
            Usable = weight.device_type == DeviceType.CPU && DType is ScalarType.Float32 or ScalarType.BFloat16 && weight.dim() == 1
                && weight.is_contiguous() && weight.shape[0] % 8 == 0 && weight.shape[0] > 0;
            if (!Usable) return;
            Size = (int)weight.shape[0];
            Address = TensorMemory.Address(weight);
        }

        /// <summary>Reads the metadata of <paramref name="weight"/> [hidden].</summary>
        public static Scale Of(Tensor weight) => new(weight);

        /// <summary>True when this describes exactly this tensor object.</summary>
        public bool Describes(Tensor weight) => weight.Handle == _handle;

        /// <summary>CPU, float32 or bfloat16, contiguous, a multiple of 8 elements.</summary>
        public bool Usable { get; }

        /// <summary>The weight's dtype.</summary>
        public ScalarType DType { get; }

        /// <summary>Elements.</summary>
        public int Size { get; }

        /// <summary>Address of the data.</summary>
        public nint Address { get; }
    }

    /// <summary>
    /// The normalised, scaled rows of x [B ≤ <see cref="MaxRows"/>, 1, hidden] (contiguous, the weight's dtype; see
    /// <see cref="DecodeKernels.InputShape"/>) as a new tensor; false, computing nothing, for any other input.
    /// </summary>
    public static unsafe bool TryForward(Tensor x, Scale weight, double eps, out Tensor output)
    {
        output = null!;
        if (!weight.Usable) return false;
        var shape = DecodeKernels.InputShape(x, weight.DType);
        if (shape is not { Length: 3 } || shape[1] != 1 || shape[0] > MaxRows || shape[2] != weight.Size) return false;
        var rows = (int)shape[0];
        var n = weight.Size;
        var bf16 = weight.DType == ScalarType.BFloat16;
        output = empty(shape, weight.DType);
        var buffer = ArrayPool<float>.Shared.Rent(n * 2);
        try
        {
            var xp = (byte*)TensorMemory.Address(x);
            var op = (byte*)TensorMemory.Address(output);
            fixed (float* row = buffer)
            {
                var w = row + n;
                BFloat16Bits.ToFloat((void*)weight.Address, bf16, w, n);
                var size = bf16 ? 2 : 4;
                for (var r = 0; r < rows; r++)
                    NormaliseRow(xp + (long)r * n * size, op + (long)r * n * size, row, w, n, (float)eps, bf16);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
        return true;
    }

    /// <summary>
    /// One row of <paramref name="n"/> elements (a multiple of 8) from <paramref name="source"/> to
    /// <paramref name="destination"/> (both in the dtype), with <paramref name="row"/> as float32 scratch and
    /// <paramref name="weight"/> the scale already in float32. Also the per-head q/k norm of <see cref="DecodeAttention.Step"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static unsafe void NormaliseRow(byte* source, byte* destination, float* row, float* weight, int n, float eps, bool bf16)
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
            // As RmsNorm: the normalised value is rounded to bfloat16, then the bfloat16 product is rounded again.
            var d = (ushort*)destination;
            var s = Vector256.Create(scale);
            var i = 0;
            for (; i + 8 <= n; i += 8)
            {
                var h = BFloat16Bits.RoundEight(Vector256.Load(row + i) * s);
                BFloat16Bits.StoreEight(BFloat16Bits.RoundEight(Vector256.Load(weight + i) * h), d + i);
            }
            for (; i < n; i++)
            {
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
