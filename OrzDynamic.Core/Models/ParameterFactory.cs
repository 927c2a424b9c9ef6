using TorchSharp.Modules;

namespace OrzDynamic.Core.Models;

/// <summary>Creates uninitialised, non-trainable parameters that outlive any dispose scope (weights are filled by the loader).</summary>
internal static class ParameterFactory
{
    public static Parameter Empty(long[] shape, ScalarType dtype, Device device)
    {
        var p = new Parameter(empty(shape, dtype, device), requires_grad: false);
        p.DetachFromDisposeScope();
        return p;
    }
}
