using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Core.Models;

/// <summary>
/// Rotary position embedding in Hugging Face's <c>rotate_half</c> layout (first and second halves of each head form the
/// rotation pairs), with optional llama3 frequency scaling.
/// </summary>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _invFreq; // float32 [headDim/2]

    /// <summary>Precomputes the inverse frequencies for <paramref name="config"/> on <paramref name="device"/>.</summary>
    public RotaryEmbedding(ModelConfig config, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        var inv = ComputeInverseFrequencies(config);
        _invFreq = tensor(inv, ScalarType.Float32, device).DetachFromDisposeScope();
    }

    /// <summary>The inverse frequencies θ^(−2i/d), with llama3 scaling applied when configured.</summary>
    public static float[] ComputeInverseFrequencies(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var half = config.HeadDim / 2;
        var inv = new double[half];
        for (var i = 0; i < half; i++)
            inv[i] = 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / config.HeadDim);
        if (config.RopeScaling is { Type: "llama3" } s)
        {
            var lowWavelen = s.OriginalMaxPositionEmbeddings / s.LowFreqFactor;
            var highWavelen = s.OriginalMaxPositionEmbeddings / s.HighFreqFactor;
            for (var i = 0; i < half; i++)
            {
                var wavelen = 2 * Math.PI / inv[i];
                if (wavelen > lowWavelen)
                {
                    inv[i] /= s.Factor;
                }
                else if (wavelen >= highWavelen)
                {
                    var smooth = (s.OriginalMaxPositionEmbeddings / wavelen - s.LowFreqFactor) / (s.HighFreqFactor - s.LowFreqFactor);
                    inv[i] = (1 - smooth) * inv[i] / s.Factor + smooth * inv[i];
                }
            }
        }
        return inv.Select(v => (float)v).ToArray();
    }

    /// <summary>Cos and sin tables [B, 1, T, headDim] in <paramref name="dtype"/> for positions [B, T].</summary>
    public (Tensor Cos, Tensor Sin) Compute(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var freqs = positions.to(ScalarType.Float32).unsqueeze(-1) * _invFreq; // [B,T,D/2]
        var emb = cat([freqs, freqs], -1).unsqueeze(1);                          // [B,1,T,D]
        var cos = emb.cos().to(dtype);
        var sin = emb.sin().to(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Applies the rotation to x [B, H, T, D]: x·cos + rotate_half(x)·sin, computed as one product and two in-place
    /// multiply-adds on the halves (rotate_half(x) = [−x₂, x₁] is never built), i.e. three elementwise passes instead
    /// of five and one output allocation instead of five. The single position of a decoding step goes to
    /// <see cref="DecodeRotary"/>.
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        if (DecodeRotary.Applies(x, cos, sin)) return DecodeRotary.Apply(x, cos, sin);
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var result = x * cos;
        result.narrow(-1, 0, half).addcmul_(x2, sin.narrow(-1, 0, half), -1);
        result.narrow(-1, half, half).addcmul_(x1, sin.narrow(-1, half, half), 1);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose() => _invFreq.Dispose();
}
