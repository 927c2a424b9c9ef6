namespace OrzDynamic.Core.Precision;

/// <summary>
/// Default dtypes per device. CPU: bfloat16 generation (about twice the decode throughput of float32 on an AVX-512 BF16
/// machine, see the generation benchmark) with float32 scoring (bfloat16 shifts log-probabilities by ~0.2 nats, too much
/// for the learning-dynamics metrics; generation only has to produce a sample of the model). CUDA: bfloat16 for both,
/// as before.
/// </summary>
internal static class PrecisionDefaults
{
    /// <summary>Default generation dtype on <paramref name="device"/>.</summary>
    public static ScalarType Generation(Device device) => ScalarType.BFloat16;

    /// <summary>Default scoring dtype on <paramref name="device"/>.</summary>
    public static ScalarType Scoring(Device device) =>
        device.type == TorchSharp.DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32;
}
