using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>Reproducible random tensors for the kernel tests.</summary>
internal static class SeededTensors
{
    /// <summary>Standard normal values × <paramref name="scale"/> from generator <paramref name="seed"/>, in <paramref name="dtype"/>.</summary>
    public static Tensor Normal(long[] shape, ScalarType dtype, int seed, double scale = 1)
    {
        using var g = new Generator((ulong)seed);
        using var x = randn(shape, generator: g) * scale;
        return x.to(dtype);
    }
}
