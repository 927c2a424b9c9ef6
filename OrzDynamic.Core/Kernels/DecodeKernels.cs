using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

using OrzDynamic.Core.Models;

namespace OrzDynamic.Core.Kernels;

/// <summary>
/// The switch and the shared input checks of the decoding-step kernels (<see cref="SmallBatchGemv"/>,
/// <see cref="DecodeRmsNorm"/>, <see cref="DecodeRotary"/>, <see cref="DecodeAttention"/>, and the sampler's
/// <see cref="MultinomialDraw"/>): vectorised C# where libtorch is slow for a decoding step — the few rows of one new
/// token each, where its per-operation overhead (dispatch, allocation, waking its OpenMP threads) costs more than the
/// arithmetic, and the token draw, which it makes one vocabulary entry at a time. They run only on the CPU, the
/// model's kernels in float32 or bfloat16 while autograd is off.
/// </summary>
internal static class DecodeKernels
{
    /// <summary>True when the CPU has what the kernels use (256-bit vectors with FMA).</summary>
    public static readonly bool Supported = Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>The environment variable that, set to 0, turns every decoding-step kernel off.</summary>
    public const string DisableVariable = "ORZDYNAMIC_DECODE_KERNELS";

    /// <summary>Set to false (tests, benchmarks) to run every step on libtorch; <see cref="DisableVariable"/>=0 does the same.</summary>
    internal static bool Enabled { get; set; } = Environment.GetEnvironmentVariable(DisableVariable) != "0";

    /// <summary>
    /// The shape of <paramref name="x"/> when a kernel for <paramref name="dtype"/> may read it (kernels on, autograd
    /// off, a contiguous CPU tensor of that dtype, which is float32 or bfloat16: the only two the kernels read), else
    /// null — with as few calls into libtorch as possible.
    /// </summary>
    public static long[]? InputShape(Tensor x, ScalarType dtype) =>
        Enabled && Supported && dtype is ScalarType.Float32 or ScalarType.BFloat16 && x.dtype == dtype && !is_grad_enabled() && x.device_type == DeviceType.CPU && x.is_contiguous() ? TensorShape.Of(x) : null;
}
