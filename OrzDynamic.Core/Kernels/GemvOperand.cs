using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// A weight (and optional bias) as <see cref="SmallBatchGemv"/> sees it: addresses, sizes and dtype read from libtorch
/// once, so that a decoding step does not ask libtorch again for every product (each such call touches libtorch's
/// metadata, which the weight stream has just evicted from the caches: tens of microseconds per product). Valid while
/// the tensors keep their storage: parameters are updated in place (<c>copy_</c>), never re-allocated;
/// <see cref="Describes"/> notices a replaced tensor.
/// </summary>
internal sealed class GemvOperand
{
    private readonly IntPtr _weightHandle;
    private readonly IntPtr _biasHandle;

    private GemvOperand(Tensor weight, Tensor? bias)
    {
        _weightHandle = weight.Handle;
        _biasHandle = bias?.Handle ?? IntPtr.Zero;
        DType = weight.dtype;
        if (weight.device_type != DeviceType.CPU || DType is not (ScalarType.Float32 or ScalarType.BFloat16) || weight.dim() != 2 || !weight.is_contiguous())
            return;
        var shape = weight.shape;
        if (shape[1] % 16 != 0 || shape[1] > int.MaxValue / 4 || shape[0] > int.MaxValue || shape[0] < 1) return;
        if (bias is not null && (bias.dtype != DType || bias.device_type != DeviceType.CPU || bias.dim() != 1 || !bias.is_contiguous()
            || bias.shape[0] < shape[0]))
            return;
        N = (int)shape[0];
        K = (int)shape[1];
        RowBytes = (long)K * (DType == ScalarType.BFloat16 ? 2 : 4);
        Bytes = N * RowBytes;
        Eligible = true;
        if (Bytes > int.MaxValue) return; // one span: larger weights take SmallBatchGemv.Forward's sliced path
        Weight = TensorMemory.Address(weight);
        Bias = bias is null ? 0 : TensorMemory.Address(bias);
        BiasLength = bias is null ? 0 : (int)bias.shape[0];
        Usable = true;
    }

    /// <summary>Reads the metadata of <paramref name="weight"/> [N, K] and <paramref name="bias"/> [≥ N].</summary>
    public static GemvOperand Of(Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return new GemvOperand(weight, bias);
    }

    /// <summary>True when this describes exactly these tensor objects.</summary>
    public bool Describes(Tensor weight, Tensor? bias) => weight.Handle == _weightHandle && (bias?.Handle ?? IntPtr.Zero) == _biasHandle;

    /// <summary>
    /// True when the kernel can multiply by the weight, possibly in slices: CPU, float32 or bfloat16, contiguous [N, K]
    /// with K a multiple of 16, and a bias (if any) of the same kind with at least N elements.
    /// </summary>
    public bool Eligible { get; }

    /// <summary>True when the kernel can use the weight in one piece: <see cref="Eligible"/> and at most 2 GB.</summary>
    public bool Usable { get; }

    /// <summary>The weights' dtype.</summary>
    public ScalarType DType { get; }

    /// <summary>Address of the weight rows.</summary>
    public nint Weight { get; }

    /// <summary>Address of the bias, 0 without one.</summary>
    public nint Bias { get; }

    /// <summary>Elements of the bias (0 without one).</summary>
    public int BiasLength { get; }

    /// <summary>Output features (weight rows).</summary>
    public int N { get; }

    /// <summary>Input features.</summary>
    public int K { get; }

    /// <summary>Bytes of one weight row.</summary>
    public long RowBytes { get; }

    /// <summary>Bytes of the weight.</summary>
    public long Bytes { get; }
}
