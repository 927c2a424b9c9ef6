using TorchSharp.Modules;
using OrzDynamic.Core.Kernels;

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

    private GemvOperand? _operand;

    /// <summary>Weight [out, in].</summary>
    public Parameter Weight { get; }

    /// <summary>Bias [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <summary>
    /// y = x Wᵀ + b, computed in the dtype of <paramref name="x"/>: when the weights are stored in another dtype they are
    /// converted for this call only (exact for an upcast, e.g. bfloat16-stored weights scored in float32).
    /// </summary>
    public Tensor Forward(Tensor x) => SmallBatchGemv.TryForward(x, [Operand], out var y, Next) ? y[0] : ForwardUnfused(x);

    /// <summary>
    /// <see cref="Forward"/> for a caller whose decoding-step pass (<see cref="SmallBatchGemv.TryForward"/>) declined
    /// this input: libtorch's linear, or the kernel's sliced path for weights larger than one span.
    /// </summary>
    internal Tensor ForwardUnfused(Tensor x)
    {
        if (x.dtype == Weight.dtype) return SmallBatchGemv.Linear(x, Weight, Bias);
        using var w = Weight.to(x.dtype);
        using var b = Bias?.to(x.dtype);
        return nn.functional.linear(x, w, b);
    }

    /// <summary>
    /// The product that follows this one in a decoding step (set by <see cref="CausalLM"/>), whose weights the kernel
    /// reads ahead while the caller runs the operations in between; null for none.
    /// </summary>
    internal Func<GemvOperand[]>? Next { get; set; }

    /// <summary>The weight and bias as the decoding-step kernel sees them (read once, re-read if a tensor was replaced).</summary>
    internal GemvOperand Operand => _operand is { } o && o.Describes(Weight, Bias) ? o : _operand = GemvOperand.Of(Weight, Bias);

    /// <summary>
    /// The same input through several projections: in one pass of the decoding-step kernel when it applies to all
    /// of them (<see cref="SmallBatchGemv.TryForward"/>, bit-identical to separate calls), else one
    /// <see cref="ForwardUnfused"/> each (the pass declined the input, so it is not asked again per projection).
    /// </summary>
    public static Tensor[] ForwardMany(Tensor x, params LinearProjection[] projections)
    {
        ArgumentNullException.ThrowIfNull(projections);
        var operands = new GemvOperand[projections.Length];
        for (var i = 0; i < projections.Length; i++) operands[i] = projections[i].Operand;
        return SmallBatchGemv.TryForward(x, operands, out var outputs, projections[0].Next) ? outputs : projections.Select(p => p.ForwardUnfused(x)).ToArray();
    }
}
