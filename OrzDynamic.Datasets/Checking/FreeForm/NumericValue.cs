using System.Numerics;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// A value met while evaluating an answer: exact (a <see cref="Rational"/>) while only rational arithmetic is involved,
/// otherwise a complex floating-point number; <see cref="Undefined"/> for 0/0, unknown functions and the like.
/// </summary>
internal readonly record struct NumericValue
{
    /// <summary>The exact value, when known.</summary>
    public Rational? Exact { get; private init; }

    /// <summary>The complex value (always set when defined).</summary>
    public Complex Approximate { get; private init; }

    /// <summary>False for an undefined result.</summary>
    public bool IsDefined { get; private init; }

    /// <summary>The undefined value.</summary>
    public static NumericValue Undefined => new() { Approximate = Complex.NaN };

    /// <summary>An exact value.</summary>
    public static NumericValue Of(Rational r) => new() { Exact = r, Approximate = new Complex(r.ToDouble(), 0), IsDefined = true };

    /// <summary>A floating-point value (undefined when NaN).</summary>
    public static NumericValue Of(Complex c)
        => double.IsNaN(c.Real) || double.IsNaN(c.Imaginary) ? Undefined : new() { Approximate = c, IsDefined = true };

    /// <summary>Either exact or floating point.</summary>
    public static NumericValue Of(Rational? r, Complex fallback) => r is { } x ? Of(x) : Of(fallback);

    /// <summary>True when the value is real (exact, or with a negligible imaginary part).</summary>
    public bool IsReal => IsDefined && (Exact is not null || Math.Abs(Approximate.Imaginary) <= 1e-12 * Math.Max(1, Math.Abs(Approximate.Real)));
}
