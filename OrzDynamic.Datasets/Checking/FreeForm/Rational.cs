using System.Globalization;
using System.Numerics;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>An exact rational number N/D with D &gt; 0 and gcd(N, D) = 1.</summary>
internal readonly record struct Rational
{
    /// <summary>Largest numerator or denominator size kept exact; bigger results fall back to floating point.</summary>
    public const int MaxBits = 40_000;

    private Rational(BigInteger numerator, BigInteger denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    /// <summary>The numerator (carries the sign).</summary>
    public BigInteger Numerator { get; }

    /// <summary>The denominator (positive).</summary>
    public BigInteger Denominator { get; }

    /// <summary>Zero.</summary>
    public static Rational Zero => new(BigInteger.Zero, BigInteger.One);

    /// <summary>One.</summary>
    public static Rational One => new(BigInteger.One, BigInteger.One);

    /// <summary>True when the denominator is 1.</summary>
    public bool IsInteger => Denominator.IsOne;

    /// <summary>The sign: −1, 0 or 1.</summary>
    public int Sign => Numerator.Sign;

    /// <summary>n/d reduced; null when d is zero or the result is too large to keep exact.</summary>
    public static Rational? Create(BigInteger n, BigInteger d)
    {
        if (d.IsZero) return null;
        if (d.Sign < 0) { n = -n; d = -d; }
        var g = BigInteger.GreatestCommonDivisor(n, d);
        if (!g.IsOne && !g.IsZero) { n /= g; d /= g; }
        if (n.GetBitLength() > MaxBits || d.GetBitLength() > MaxBits) return null;
        return new Rational(n, d);
    }

    /// <summary>The integer <paramref name="n"/>.</summary>
    public static Rational FromInteger(BigInteger n) => new(n, BigInteger.One);

    /// <summary>Parses decimal digits such as <c>12</c>, <c>0.125</c> or <c>.5</c> exactly; null on other text.</summary>
    public static Rational? ParseDecimal(string text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 12_000) return null;
        int dot = text.IndexOf('.');
        var intPart = dot < 0 ? text : text[..dot];
        var fracPart = dot < 0 ? string.Empty : text[(dot + 1)..];
        if (intPart.Length == 0) intPart = "0";
        if (!intPart.All(char.IsAsciiDigit) || !fracPart.All(char.IsAsciiDigit)) return null;
        var n = BigInteger.Parse(intPart + fracPart, CultureInfo.InvariantCulture);
        return Create(n, BigInteger.Pow(10, fracPart.Length));
    }

    /// <summary>The value as a double (±∞ when out of range).</summary>
    public double ToDouble()
    {
        // Scale both parts into range first so that huge numerators and denominators do not overflow to ∞/∞.
        long shift = Math.Max(0, Math.Max(Numerator.GetBitLength(), Denominator.GetBitLength()) - 1000);
        var n = Numerator >> (int)shift;
        var d = Denominator >> (int)shift;
        if (d.IsZero) return Numerator.Sign * double.PositiveInfinity;
        return (double)n / (double)d;
    }

    /// <summary>The value rounded to <paramref name="places"/> decimal places (half away from zero), as an exact rational.</summary>
    public Rational Round(int places)
    {
        var scale = BigInteger.Pow(10, places);
        var scaled = Numerator * scale;
        var q = BigInteger.DivRem(BigInteger.Abs(scaled) * 2 + Denominator, Denominator * 2, out _);
        return Create(scaled.Sign < 0 ? -q : q, scale) ?? this;
    }

    /// <summary>a + b (null when too large).</summary>
    public static Rational? Add(Rational a, Rational b) => Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    /// <summary>a − b (null when too large).</summary>
    public static Rational? Subtract(Rational a, Rational b) => Create(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    /// <summary>a · b (null when too large).</summary>
    public static Rational? Multiply(Rational a, Rational b) => Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    /// <summary>a / b (null when b is zero or the result too large).</summary>
    public static Rational? Divide(Rational a, Rational b) => Create(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>−a.</summary>
    public Rational Negate() => new(-Numerator, Denominator);

    /// <summary>a^k for an integer k (null when the result would exceed <see cref="MaxBits"/> or a is 0 and k &lt; 0).</summary>
    public Rational? Power(BigInteger k)
    {
        if (k.IsZero) return One;
        if (Numerator.IsZero) return k.Sign > 0 ? Zero : null;
        if (BigInteger.Abs(Numerator).IsOne && Denominator.IsOne) return Numerator.Sign > 0 || k.IsEven ? One : this; // (±1)^k
        var bits = Math.Max(1, Math.Max(BigInteger.Abs(Numerator).GetBitLength(), Denominator.GetBitLength()));
        if (BigInteger.Abs(k) > MaxBits || BigInteger.Abs(k) * bits > MaxBits) return null;
        int e = (int)BigInteger.Abs(k);
        var n = BigInteger.Pow(Numerator, e);
        var d = BigInteger.Pow(Denominator, e);
        return k.Sign > 0 ? Create(n, d) : Create(d, n);
    }

    /// <summary>The exact square root when numerator and denominator are perfect squares, else null.</summary>
    public Rational? SquareRoot()
    {
        if (Numerator.Sign < 0) return null;
        var n = IntegerSqrt(Numerator);
        var d = IntegerSqrt(Denominator);
        if (n * n != Numerator || d * d != Denominator) return null;
        return Create(n, d);
    }

    private static BigInteger IntegerSqrt(BigInteger v)
    {
        if (v.IsZero) return v;
        if (v.GetBitLength() > 2 * MaxBits) return BigInteger.MinusOne;
        var x = v.GetBitLength() > 1000 ? BigInteger.One << (int)(v.GetBitLength() / 2) : (BigInteger)Math.Sqrt((double)v);
        if (x.IsZero) x = BigInteger.One;
        for (int i = 0; i < 200; i++)
        {
            var next = (x + v / x) >> 1;
            if (BigInteger.Abs(next - x) <= BigInteger.One)
            {
                x = next;
                break;
            }
            x = next;
        }
        while (x * x > v) x--;
        while ((x + 1) * (x + 1) <= v) x++;
        return x;
    }
}
