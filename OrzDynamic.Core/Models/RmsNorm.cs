using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>RMSNorm as in Llama/Qwen2: normalise in float32, cast back, then scale by <c>weight</c>.</summary>
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

    /// <summary>Normalises over the last dimension (the rows of a decoding step in C#: <see cref="DecodeRmsNorm"/>).</summary>
    public Tensor Forward(Tensor x)
    {
        var scale = _scale is { } cached && cached.Describes(Weight) ? cached : _scale = DecodeRmsNorm.Scale.Of(Weight);
        if (DecodeRmsNorm.TryForward(x, scale, _eps, out var decoded)) return decoded;
        using var scope = NewDisposeScope();
        var inputType = x.dtype;
        var h = x.to(ScalarType.Float32);
        var variance = h.square().mean([-1L], keepdim: true);
        h = h * (variance + _eps).rsqrt();
        var weight = Weight.dtype == inputType ? Weight : Weight.to(inputType); // stored in another dtype: computed in the input's
        return (weight * h.to(inputType)).MoveToOuterDisposeScope();
    }
}
