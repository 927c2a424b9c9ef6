using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>A bias-optional linear layer with Hugging Face parameter names (<c>weight</c> [out, in], <c>bias</c> [out]).</summary>
public sealed class LinearProjection : nn.Module
{
    /// <summary>Creates the layer with uninitialised weights.</summary>
    public LinearProjection(string name, long inFeatures, long outFeatures, bool bias, ScalarType dtype, Device device) : base(name)
    {
        Weight = ParameterFactory.Empty([outFeatures, inFeatures], dtype, device);
        register_parameter("weight", Weight);
        if (bias)
        {
            Bias = ParameterFactory.Empty([outFeatures], dtype, device);
            register_parameter("bias", Bias);
        }
    }

    /// <summary>Weight [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>Bias [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>y = x Wᵀ + b.</summary>
    public Tensor Forward(Tensor x) => nn.functional.linear(x, Weight, Bias);
}
