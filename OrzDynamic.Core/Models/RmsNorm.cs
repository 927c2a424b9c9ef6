using TorchSharp.Modules;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Models;

/// <summary>
/// RMSNorm as in Llama/Qwen2/Qwen3: normalise in float32, cast back, then scale by <c>weight</c>. Used over the model
/// width and, for Qwen3's q/k norms, over each head's <c>head_dim</c>.
/// </summary>
internal sealed class RmsNorm : nn.Module
{
    private readonly double _eps;
    private DecodeRmsNorm.Scale? _scale;

    /// <summary>Creates the norm with an uninitialised weight of size <paramref name="size"/>.</summary>
    public RmsNorm(string name, long size, double eps, ScalarType dtype, Device device) : base(name)
    {
        _eps = eps;
        Weight = ParameterFactory.Empty([size], dtype, device);
        register_parameter("weight", Weight);
    }

    /// <summary>Scale [size].</summary>
    public Parameter Weight { get; }

    /// <summary>Epsilon added to the mean square.</summary>
    public double Eps => _eps;

    /// <summary>The weight as the decoding-step kernels see it (read once, re-read if the tensor was replaced).</summary>
    internal DecodeRmsNorm.Scale DecodeScale => _scale is { } cached && cached.Describes(Weight) ? cached : _scale = DecodeRmsNorm.Scale.Of(Weight);

    /// <summary>Normalises over the last dimension (the rows of a decoding step in C#: <see cref="DecodeRmsNorm"/>).</summary>
    public Tensor Forward(Tensor x)
    {
        if (DecodeRmsNorm.TryForward(x, DecodeScale, _eps, out var decoded)) return decoded;
        using var scope = NewDisposeScope();
        var inputType = x.dtype;
        var h = x.to(ScalarType.Float32);
        var variance = h.square().mean([-1L], keepdim: true);
        h = h * (variance + _eps).rsqrt();
        var weight = Weight.dtype == inputType ? Weight : Weight.to(inputType); // stored in another dtype: computed in the input's
        return (weight * h.to(inputType)).MoveToOuterDisposeScope();
    }
}
