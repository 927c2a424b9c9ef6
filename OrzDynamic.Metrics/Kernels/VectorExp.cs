using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OrzDynamic.Metrics.Kernels;

/// <summary>
/// exp(x) for x ≤ 0 on eight float32 lanes, for softmax sums: the metrics' row reduction and the decoding-step
/// attention of OrzDynamic.Core, which must round alike. Cody–Waite range
/// reduction x = k·ln 2 + r (|r| ≤ ln 2 / 2, ln 2 split in two parts), a degree-7 Taylor polynomial (truncation error
/// ≤ 5e−9 relative, below float32's 6e−8 spacing) and 2^k added to the exponent bits. Results that would be subnormal
/// (x &lt; −87.33) are flushed to exactly 0, so a sum of such terms is 0 and the caller's underflow path takes over.
/// Agrees with a correctly rounded exp to about 2 ulp.
/// </summary>
/// <remarks>Public as a building block of OrzDynamic's CPU kernels, not as part of the metrics API.</remarks>
public static class VectorExp
{
    /// <summary>Below this argument the result is flushed to 0 (e^x would not be a normal float32).</summary>
    public const float FlushBelow = -87.33f;

    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;            // exactly representable with few mantissa bits
    private const float Ln2Lo = -2.12194440e-4f;         // ln 2 − Ln2Hi

    /// <summary>1.5 · 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in the low mantissa bits.</summary>
    private const float RoundingMagic = 12582912f;

    /// <summary>e^x lane-wise, for x ≤ 0 (x = −∞ gives 0). NaN inputs are not supported (the caller excludes them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        var keep = Vector256.GreaterThanOrEqual(x, Vector256.Create(FlushBelow));
        // t = x·log2(e) + magic: k = round(x·log2 e) sits in t's low mantissa bits, so (bits of t) << 23 = k << 23.
        var t = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(RoundingMagic));
        var k = t - Vector256.Create(RoundingMagic);
        var r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(k, Vector256.Create(-Ln2Lo), r);
        // Horner: 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r(1/120 + r(1/720 + r/5040))))))
        var p = Vector256.FusedMultiplyAdd(Vector256.Create(1f / 5040f), r, Vector256.Create(1f / 720f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        var result = (p.AsInt32() + Vector256.ShiftLeft(t.AsInt32(), 23)).AsSingle();
        // Lanes below the threshold (including −∞, whose arithmetic above is NaN) become exactly 0.
        return result & keep;
    }
}
