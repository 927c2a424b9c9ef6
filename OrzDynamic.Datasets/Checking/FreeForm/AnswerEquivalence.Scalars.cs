using System.Numerics;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>Scalar values: exact or complex evaluation at seeded points, written decimals.</summary>
internal sealed partial class AnswerEquivalence
{
    private bool ScalarEqual(MathExpression x, MathExpression y, Context c)
    {
        if (x is TupleExpression || y is TupleExpression || IsRelation(x) || IsRelation(y)) return false;
        var names = Variables(x, y);
        bool decimals = IsDecimalLiteral(x) || IsDecimalLiteral(y);
        int defined = 0;
        foreach (var point in names.Count == 0 ? [new Dictionary<string, Rational>()] : Points(names))
        {
            var a = PointEvaluator.Evaluate(x, point, c.Token);
            var b = PointEvaluator.Evaluate(y, point, c.Token);
            if (!a.IsDefined && !b.IsDefined) continue;
            if (!a.IsDefined || !b.IsDefined) return false;
            if (!ValuesEqual(a, b, decimals)) return false;
            defined++;
        }
        return defined > 0;
    }

    private static bool IsDecimalLiteral(MathExpression e) => e switch
    {
        NumberExpression n => n.Text?.Contains('.') == true,
        NegateExpression neg => IsDecimalLiteral(neg.Operand),
        BinaryExpression { Operator: BinaryOperator.Divide, Right: NumberExpression { Text: "100" } } pct => IsDecimalLiteral(pct.Left),
        _ => false,
    };

    private bool ValuesEqual(NumericValue a, NumericValue b, bool decimals)
    {
        if (a.Exact is { } x && b.Exact is { } y)
            return x == y || (decimals && x.Round(DecimalPlaces) == y.Round(DecimalPlaces));
        // A written decimal against an inexact value (√2 vs 1.4142135624) must agree to about 13 significant digits:
        // a rounded decimal is not the irrational number.
        return Close(a.Approximate, b.Approximate, decimals ? DecimalAgainstInexactTolerance : _relativeTolerance);
    }

    /// <summary>Relative tolerance between a written decimal and a value that is not exact.</summary>
    private const double DecimalAgainstInexactTolerance = 1e-13;

    private bool Close(Complex a, Complex b) => Close(a, b, _relativeTolerance);

    private static bool Close(Complex a, Complex b, double relativeTolerance)
    {
        if (double.IsInfinity(a.Real) || double.IsInfinity(b.Real) || double.IsInfinity(a.Imaginary) || double.IsInfinity(b.Imaginary))
            return a == b;
        double scale = Math.Max(Complex.Abs(a), Complex.Abs(b));
        double diff = Complex.Abs(a - b);
        return diff <= relativeTolerance * scale || diff <= 1e-12; // values that are zero up to rounding
    }

    private static SortedSet<string> Variables(MathExpression a, MathExpression b)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        ExpressionEvaluator.CollectVariables(a, names);
        ExpressionEvaluator.CollectVariables(b, names);
        return names;
    }

    /// <summary>Seeded rational assignments in [0.5, 2.6] (denominator 97), the same for every comparison.</summary>
    private IEnumerable<Dictionary<string, Rational>> Points(SortedSet<string> names)
    {
        var rng = new Random(_seed);
        for (int p = 0; p < _samplePoints; p++)
        {
            var point = new Dictionary<string, Rational>(StringComparer.Ordinal);
            foreach (var n in names) point[n] = Rational.Create(rng.Next(49, 253), 97)!.Value;
            yield return point;
        }
    }
}
