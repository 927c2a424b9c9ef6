using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Trainer.Training;

/// <summary>
/// Initialises a freshly constructed <see cref="CausalLM"/> (whose weights are uninitialised memory) the way
/// Hugging Face initialises Qwen2/Llama: matrices ~ N(0, std²), biases 0, RMSNorm scales 1. Deterministic given the
/// seed: parameters are filled in <see cref="CausalLM.NamedWeights"/> order from one seeded generator.
/// </summary>
public static class WeightInitializer
{
    /// <summary>Hugging Face's default <c>initializer_range</c>.</summary>
    public const double DefaultStd = 0.02;

    /// <summary>Fills every parameter of <paramref name="model"/>.</summary>
    /// <param name="model">The model (any dtype; sampling happens in float32 on the CPU, then is copied in).</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="std">Standard deviation of the matrices.</param>
    public static void Initialize(CausalLM model, long seed, double std = DefaultStd)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(std > 0) || !double.IsFinite(std)) throw new ArgumentOutOfRangeException(nameof(std), std, "std must be positive and finite.");
        using var grad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var (name, parameter) in model.NamedWeights())
        {
            using var scope = NewDisposeScope();
            Tensor value;
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) value = ones(parameter.shape, ScalarType.Float32);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) value = zeros(parameter.shape, ScalarType.Float32);
            else value = randn(parameter.shape, ScalarType.Float32, generator: generator).mul_(std);
            parameter.copy_(value);
        }
    }
}
