using System.Numerics;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// Evaluates a scalar <see cref="MathExpression"/> at one assignment of its variables: exactly with rationals while
/// the operations allow it (+, −, ·, /, integer powers, square roots of perfect squares), in complex floating point
/// otherwise (so √−1 and logarithms of negatives are values, not failures).
/// </summary>
internal static class PointEvaluator
{
    /// <summary>The value of <paramref name="e"/>; variables without a value, tuples, relations and matrices are undefined.</summary>
    public static NumericValue Evaluate(MathExpression e, IReadOnlyDictionary<string, Rational> variables, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        switch (e)
        {
            case NumberExpression n:
                return n.Text is { } text && Rational.ParseDecimal(text) is { } r ? NumericValue.Of(r) : NumericValue.Of(new Complex(n.Value, 0));
            case ConstantExpression c:
                return c.Name switch
                {
                    "i" => NumericValue.Of(Complex.ImaginaryOne),
                    "infty" => NumericValue.Of(new Complex(double.PositiveInfinity, 0)),
                    _ => NumericValue.Of(new Complex(c.Value, 0)),
                };
            case VariableExpression x:
                return variables.TryGetValue(x.Name, out var v) ? NumericValue.Of(v) : NumericValue.Undefined;
            case PlusMinusSignExpression:
                return variables.TryGetValue(PlusMinusSignExpression.VariableName, out var s) ? NumericValue.Of(s) : NumericValue.Undefined;
            case NegateExpression neg:
            {
                var a = Evaluate(neg.Operand, variables, ct);
                if (!a.IsDefined) return a;
                return a.Exact is { } ea ? NumericValue.Of(ea.Negate()) : NumericValue.Of(-a.Approximate);
            }
            case BinaryExpression b:
                return Binary(b.Operator, Evaluate(b.Left, variables, ct), Evaluate(b.Right, variables, ct));
            case RootExpression root:
            {
                var x = Evaluate(root.Radicand, variables, ct);
                var n = root.Index is null ? NumericValue.Of(Rational.FromInteger(2)) : Evaluate(root.Index, variables, ct);
                return Root(x, n);
            }
            case FunctionExpression f:
                return Function(f.Name, Evaluate(f.Argument, variables, ct), f.Base is null ? (NumericValue?)null : Evaluate(f.Base, variables, ct));
            default:
                return NumericValue.Undefined;
        }
    }

    private static NumericValue Binary(BinaryOperator op, NumericValue a, NumericValue b)
    {
        if (!a.IsDefined || !b.IsDefined) return NumericValue.Undefined;
        if (a.Exact is { } x && b.Exact is { } y)
        {
            switch (op)
            {
                case BinaryOperator.Add: return NumericValue.Of(Rational.Add(x, y), a.Approximate + b.Approximate);
                case BinaryOperator.Subtract: return NumericValue.Of(Rational.Subtract(x, y), a.Approximate - b.Approximate);
                case BinaryOperator.Multiply: return NumericValue.Of(Rational.Multiply(x, y), a.Approximate * b.Approximate);
                case BinaryOperator.Divide:
                    return y.Sign == 0 ? NumericValue.Undefined : NumericValue.Of(Rational.Divide(x, y), a.Approximate / b.Approximate);
                case BinaryOperator.Power:
                    if (y.IsInteger)
                    {
                        if (x.Sign == 0 && y.Sign < 0) return NumericValue.Undefined;
                        if (x.Power(y.Numerator) is { } p) return NumericValue.Of(p);
                    }
                    else if (y.Denominator == 2 && x.SquareRoot() is { } sq && sq.Power(y.Numerator) is { } p2) return NumericValue.Of(p2);
                    break;
            }
        }
        return op switch
        {
            BinaryOperator.Add => NumericValue.Of(a.Approximate + b.Approximate),
            BinaryOperator.Subtract => NumericValue.Of(a.Approximate - b.Approximate),
            BinaryOperator.Multiply => NumericValue.Of(a.Approximate * b.Approximate),
            BinaryOperator.Divide => b.Approximate == Complex.Zero ? NumericValue.Undefined : NumericValue.Of(a.Approximate / b.Approximate),
            BinaryOperator.Power => Power(a.Approximate, b.Approximate),
            _ => NumericValue.Undefined,
        };
    }

    private static NumericValue Power(Complex a, Complex b)
    {
        // A real negative base with an odd-denominator-free integer exponent stays real (Complex.Pow would add rounding noise).
        if (a.Imaginary == 0 && b.Imaginary == 0 && b.Real == Math.Floor(b.Real) && Math.Abs(b.Real) < 1e6)
            return NumericValue.Of(new Complex(Math.Pow(a.Real, b.Real), 0));
        if (a.Imaginary == 0 && a.Real >= 0 && b.Imaginary == 0) return NumericValue.Of(new Complex(Math.Pow(a.Real, b.Real), 0));
        if (a == Complex.Zero) return NumericValue.Of(Complex.Zero);
        return NumericValue.Of(Complex.Pow(a, b));
    }

    private static NumericValue Root(NumericValue x, NumericValue n)
    {
        if (!x.IsDefined || !n.IsDefined) return NumericValue.Undefined;
        if (x.Exact is { } ex && n.Exact is { } en && en == Rational.FromInteger(2) && ex.SquareRoot() is { } r) return NumericValue.Of(r);
        var index = n.Approximate.Real;
        if (x.IsReal && x.Approximate.Real < 0 && n.IsReal && index == Math.Floor(index) && Math.Abs(index % 2) == 1)
            return NumericValue.Of(new Complex(-Math.Pow(-x.Approximate.Real, 1 / index), 0));
        if (index == 2) return NumericValue.Of(Complex.Sqrt(x.Approximate));
        return NumericValue.Of(Complex.Pow(x.Approximate, 1 / n.Approximate));
    }

    private static NumericValue Function(string name, NumericValue x, NumericValue? logBase)
    {
        if (!x.IsDefined) return x;
        var z = x.Approximate;
        switch (name)
        {
            case "abs":
                if (x.Exact is { } e) return NumericValue.Of(e.Sign < 0 ? e.Negate() : e);
                return NumericValue.Of(new Complex(Complex.Abs(z), 0));
            case "factorial":
                if (x.Exact is { IsInteger: true } n && n.Sign >= 0 && n.Numerator <= 1000)
                {
                    BigInteger f = BigInteger.One;
                    for (int i = 2; i <= (int)n.Numerator; i++) f *= i;
                    return NumericValue.Of(Rational.FromInteger(f));
                }
                return NumericValue.Undefined;
        }
        Complex result = name switch
        {
            "ln" => z == Complex.Zero ? Complex.NaN : Complex.Log(z),
            "log" => z == Complex.Zero ? Complex.NaN
                : logBase is { IsDefined: true } b ? Complex.Log(z) / Complex.Log(b.Approximate) : Complex.Log(z),
            _ => ElementaryFunctions.OfComplex(name, z) ?? Complex.NaN,
        };
        return NumericValue.Of(result);
    }
}
