using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>A bias-optional linear layer with Hugging Face parameter names (<c>weight</c> [out, in], <c>bias</c> [out]).</summary>
internal sealed class LinearProjection : nn.Module
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

    /// <summary>
    /// y = x Wᵀ + b, computed in the dtype of <paramref name="x"/>: when the weights are stored in another dtype they are
    /// converted for this call only (exact for an upcast, e.g. bfloat16-stored weights scored in float32).
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        if (x.dtype == Weight.dtype) return SmallBatchGemv.Linear(x, Weight, Bias);
        using var w = Weight.to(x.dtype);
        using var b = Bias?.to(x.dtype);
        return nn.functional.linear(x, w, b);
    }

    /// <summary>
    /// The same input through several projections: in one pass of the decoding-step kernel when it applies to all
    /// of them (<see cref="SmallBatchGemv.ForwardMany"/>, bit-identical to separate calls), else one
    /// <see cref="Forward"/> each.
    /// </summary>
    public static Tensor[] ForwardMany(Tensor x, params LinearProjection[] projections)
    {
        ArgumentNullException.ThrowIfNull(projections);
        if (projections.All(p => p.Weight.dtype == x.dtype))
        {
            var layers = projections.Select(p => ((Tensor)p.Weight, (Tensor?)p.Bias)).ToArray();
            if (SmallBatchGemv.AppliesToAll(x, layers)) return SmallBatchGemv.ForwardMany(x, layers);
        }
        return projections.Select(p => p.Forward(x)).ToArray();
    }
}
