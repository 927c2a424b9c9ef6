using System.Numerics;

namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>
/// The trigonometric, hyperbolic and exponential functions an answer may name, each in its real form (for
/// <see cref="ExpressionEvaluator"/>, in double, so real answers keep the exact <see cref="Math"/> results) and its
/// complex form (for the free-form checker's point evaluation, where branches and i are values). Logarithms,
/// absolute values and factorials need each evaluator's own rules and are not listed.
/// </summary>
internal static class ElementaryFunctions
{
    private static readonly Dictionary<string, (Func<double, double> Real, Func<Complex, Complex> Complex)> Table = new(StringComparer.Ordinal)
    {
        ["sin"] = (Math.Sin, Complex.Sin),
        ["cos"] = (Math.Cos, Complex.Cos),
        ["tan"] = (Math.Tan, Complex.Tan),
        ["cot"] = (x => 1 / Math.Tan(x), z => 1 / Complex.Tan(z)),
        ["sec"] = (x => 1 / Math.Cos(x), z => 1 / Complex.Cos(z)),
        ["csc"] = (x => 1 / Math.Sin(x), z => 1 / Complex.Sin(z)),
        ["arcsin"] = (Math.Asin, Complex.Asin),
        ["arccos"] = (Math.Acos, Complex.Acos),
        ["arctan"] = (Math.Atan, Complex.Atan),
        ["sinh"] = (Math.Sinh, Complex.Sinh),
        ["cosh"] = (Math.Cosh, Complex.Cosh),
        ["tanh"] = (Math.Tanh, Complex.Tanh),
        ["exp"] = (Math.Exp, Complex.Exp),
    };

    /// <summary>The real function called <paramref name="name"/> at <paramref name="x"/>, or null when the name is not listed.</summary>
    public static double? Real(string name, double x) => Table.TryGetValue(name, out var f) ? f.Real(x) : null;

    /// <summary>The complex function called <paramref name="name"/> at <paramref name="z"/>, or null when the name is not listed.</summary>
    public static Complex? OfComplex(string name, Complex z) => Table.TryGetValue(name, out var f) ? f.Complex(z) : null;
}
