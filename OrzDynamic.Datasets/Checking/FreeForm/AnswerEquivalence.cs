using System.Text.RegularExpressions;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// Decides whether two normalised answers are the same (rules in CHECKER.md, "The math checker"): unordered lists and
/// sets, ordered tuples, intervals against inequalities and <c>x \in</c>, labelled answers and chains of equations,
/// rearranged equations and inequalities, matrices, percentages, and scalar expressions compared exactly with rationals
/// where possible and in complex floating point at seeded random points otherwise.
/// </summary>
internal sealed partial class AnswerEquivalence
{
    /// <summary>Decimal places to which a written decimal and an exact value are rounded before comparison.</summary>
    public const int DecimalPlaces = 6;

    /// <summary>Largest list compared item by item.</summary>
    public const int MaxItems = 64;

    private readonly int _samplePoints;
    private readonly int _seed;
    private readonly double _relativeTolerance;

    /// <summary>Creates the comparer.</summary>
    public AnswerEquivalence(int samplePoints = 6, int seed = 20250125, double relativeTolerance = 1e-9)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplePoints);
        _samplePoints = samplePoints;
        _seed = seed;
        _relativeTolerance = relativeTolerance;
    }

    [GeneratedRegex(@"[A-Za-z]{2,}\s+[A-Za-z]{2,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TwoWords();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z '\-]*$", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Word();

    /// <summary>Parses a normalised answer in the free-form dialect, or null.</summary>
    public static MathExpression? Parse(NormalizedAnswer answer, CancellationToken ct)
        => answer.Latex.Length == 0 ? null : LatexParser.TryParse(answer.Latex, ct, LatexDialect.FreeForm);

    /// <summary>
    /// True when <paramref name="answer"/> reads as one answer: not a sentence (two words in a row), and either parsed
    /// as mathematics or a single token such as <c>204_5</c>.
    /// </summary>
    public static bool IsAnswerLike(NormalizedAnswer answer, CancellationToken ct)
        => answer.Latex.Length > 0 && !TwoWords().IsMatch(StripCommands(answer.Latex))
           && ((!answer.Latex.Any(char.IsWhiteSpace) && !answer.Latex.EndsWith(':')) || Parse(answer, ct) is not null);

    private static string StripCommands(string s) => Regex.Replace(s, @"\\[A-Za-z]+", " ", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Whether the two answers are equal; also reports whether the decision compared parsed math (else text).</summary>
    public (bool Equal, bool ParsedMath) AreEquivalent(NormalizedAnswer a, NormalizedAnswer b, CancellationToken ct)
    {
        if (a.Latex.Length == 0 || b.Latex.Length == 0) return (false, false);
        bool textEqual = a.TextKey == b.TextKey && a.IsPercent == b.IsPercent;
        if (Word().IsMatch(a.Latex) && Word().IsMatch(b.Latex) && (a.Latex.Length > 1 || b.Latex.Length > 1))
            return (a.TextKey == b.TextKey, false);
        var x = Parse(a, ct);
        var y = x is null ? null : Parse(b, ct);
        if (x is null || y is null) return (textEqual, false);
        // Both parsed: only the mathematics decides (the text key drops braces, so it could confuse \frac{1}{2}3 with \frac{12}{3}).
        // Percent, with a (the gold) deciding: a gold percentage accepts its number written with or without the mark
        // (28\% = 28 = 0.28); a percentage against a gold without one is its value / 100 (110\% = 1.1, not 110).
        var context = new Context(ct);
        if (a.IsPercent && !b.IsPercent && Equal(x, y, context)) return (true, true);
        if (a.IsPercent) x = Percent(x);
        if (b.IsPercent) y = Percent(y);
        return (Equal(x, y, context), true);
    }

    private sealed record Context(CancellationToken Token);

    /// <summary>A percentage is its value divided by 100 (in every item of a list and on the value side of a relation).</summary>
    private static MathExpression Percent(MathExpression e) => e switch
    {
        TupleExpression t => t with { Items = t.Items.Select(Percent).ToList() },
        RelationExpression r => r with { Right = Percent(r.Right) },
        ChainExpression ch => ch with { Operands = ch.Operands.Select((o, i) => i == 0 ? o : Percent(o)).ToList() },
        UnionExpression or MatrixExpression => e,
        _ => new BinaryExpression(BinaryOperator.Divide, e, new NumberExpression(100) { Text = "100" }),
    };

    private bool Equal(MathExpression x, MathExpression y, Context c)
    {
        c.Token.ThrowIfCancellationRequested();
        if (x.Equals(y)) return true;
        if (MatrixFolding.ContainsMatrix(x) || MatrixFolding.ContainsMatrix(y)) return MatrixEqual(x, y, c);
        x = BoundsAsSet(x, c);
        y = BoundsAsSet(y, c);
        bool rx = IsRelation(x), ry = IsRelation(y);
        if (rx && ry) return RelationsEqual(x, y, c);
        if (rx) return RelationEqualsValue(x, y, c);
        if (ry) return RelationEqualsValue(y, x, c);
        if (x is UnionExpression || y is UnionExpression) return IntervalSetsEqual(IntervalSet.From(x), IntervalSet.From(y), c);
        if (x is TupleExpression || y is TupleExpression || ContainsPlusMinus(x) || ContainsPlusMinus(y)) return CollectionsEqual(x, y, c);
        return ScalarEqual(x, y, c);
    }
}
