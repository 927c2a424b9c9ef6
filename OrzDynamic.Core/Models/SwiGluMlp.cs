using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Models;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class SwiGluMlp : nn.Module
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
        var gate = nn.functional.silu(GateProj.Forward(x));
        return DownProj.Forward(gate.mul_(UpProj.Forward(x))).MoveToOuterDisposeScope();
    }
}
