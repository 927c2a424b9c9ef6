using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Models;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
internal sealed class SwiGluMlp : nn.Module
{
    /// <summary>Creates the layer with uninitialised weights.</summary>
    public SwiGluMlp(ModelConfig config, ScalarType dtype, Device device) : base("mlp")
    {
        GateProj = new LinearProjection("gate_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        UpProj = new LinearProjection("up_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        DownProj = new LinearProjection("down_proj", config.IntermediateSize, config.HiddenSize, config.MlpBias, dtype, device);
        register_module("gate_proj", GateProj);
        register_module("up_proj", UpProj);
        register_module("down_proj", DownProj);
    }

    /// <summary>Gate projection.</summary>
    public LinearProjection GateProj { get; }

    /// <summary>Up projection.</summary>
    public LinearProjection UpProj { get; }

    /// <summary>Down projection.</summary>
    public LinearProjection DownProj { get; }

    /// <summary>Applies the MLP to x [.., hidden].</summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Inference: silu in place, and the up projection is released before down_proj runs, so at most two
        // [.., intermediate] tensors are alive at once (autograd needs the pre-activation, so training keeps it).
        if (SmallBatchGemv.TryForward(x, [GateProj.Operand, UpProj.Operand], out var both, GateProj.Next))
        {
            // A decoding step: both projections in one pass of the kernel (their outputs are small).
            using (var up = both[1]) both[0].silu_().mul_(up);
            return DownProj.Forward(both[0]).MoveToOuterDisposeScope();
        }
        var gate = GateProj.ForwardUnfused(x);
        gate = is_grad_enabled() ? nn.functional.silu(gate) : gate.silu_();
        using (var up = UpProj.ForwardUnfused(x)) gate.mul_(up);
        return DownProj.Forward(gate).MoveToOuterDisposeScope();
    }
}
