using System.Numerics;
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
        if (a.IsPercent) x = Percent(x);
        if (b.IsPercent) y = Percent(y);
        return (Equal(x, y, new Context(ct)), true);
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

    // ---- collections --------------------------------------------------------------------------------------------

    private bool CollectionsEqual(MathExpression x, MathExpression y, Context c)
    {
        var (ix, ox) = Items(x);
        var (iy, oy) = Items(y);
        if (ix is null || iy is null || ix.Count != iy.Count || ix.Count > MaxItems) return false;
        if (ox && oy)
        {
            var tx = (TupleExpression)x;
            var ty = (TupleExpression)y;
            if (tx.Open != ty.Open || tx.Close != ty.Close) return false;
        }
        if (ox || oy)
        {
            // A bracketed tuple keeps its order, also against a bare list: "(3, 2)" = "3, 2" ≠ "2, 3".
            if (IsSet(x) || IsSet(y)) return false;
            for (int i = 0; i < ix.Count; i++)
                if (!Equal(ix[i], iy[i], c)) return false;
            return true;
        }
        return Matching(ix, iy, c);
    }

    /// <summary>
    /// Two listed bounds on one variable: "x &gt; a and x &lt; b" with a &lt; b is the chain a &lt; x &lt; b; with a &gt; b
    /// ("x &lt; −2 or x &gt; 2") it is the union of the two rays. Anything else is returned unchanged.
    /// </summary>
    private static MathExpression BoundsAsSet(MathExpression e, Context c)
    {
        if (e is not TupleExpression { Open: '\0', Items: [RelationExpression r1, RelationExpression r2] }) return e;
        var b1 = Bound(r1);
        var b2 = Bound(r2);
        if (b1 is null || b2 is null || !b1.Value.Variable.Equals(b2.Value.Variable) || b1.Value.Lower == b2.Value.Lower) return e;
        var (low, high) = b1.Value.Lower ? (b1.Value, b2.Value) : (b2.Value, b1.Value);
        var empty = new Dictionary<string, Rational>();
        var lv = PointEvaluator.Evaluate(low.Bound, empty, c.Token);
        var hv = PointEvaluator.Evaluate(high.Bound, empty, c.Token);
        if (!lv.IsReal || !hv.IsReal) return e;
        if (lv.Approximate.Real < hv.Approximate.Real)
            return new ChainExpression([low.Bound, low.Variable, high.Bound], [low.Strict ? "<" : "<=", high.Strict ? "<" : "<="]);
        var infinity = new ConstantExpression("infty");
        return new UnionExpression([
            new TupleExpression([new NegateExpression(infinity), high.Bound], '(', high.Strict ? ')' : ']'),
            new TupleExpression([low.Bound, infinity], low.Strict ? '(' : '[', ')'),
        ]);
    }

    /// <summary>A relation between a variable and a bound without variables, read as "variable above/below bound".</summary>
    private static (MathExpression Variable, MathExpression Bound, bool Lower, bool Strict)? Bound(RelationExpression r)
    {
        if (r.Operator is not ("<" or "<=" or ">" or ">=")) return null;
        bool strict = r.Operator is "<" or ">";
        bool greater = r.Operator is ">" or ">=";
        if (r.Left is VariableExpression && !HasVariables(r.Right)) return (r.Left, r.Right, greater, strict);
        if (r.Right is VariableExpression && !HasVariables(r.Left)) return (r.Right, r.Left, !greater, strict);
        return null;
    }

    private static bool HasVariables(MathExpression e)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        ExpressionEvaluator.CollectVariables(e, names);
        return names.Count > 0;
    }

    private static bool IsSet(MathExpression e) => e is TupleExpression { Open: '{' };

    /// <summary>The items of a collection and whether their order counts: a bracketed tuple is ordered; a bare list, a set and a ± expansion are not.</summary>
    private static (IReadOnlyList<MathExpression>? Items, bool Ordered) Items(MathExpression e)
    {
        if (e is TupleExpression t)
        {
            if (t.Open is '\0' or '{')
            {
                // A ± inside a list item expands into the list.
                var items = new List<MathExpression>();
                foreach (var item in t.Items)
                {
                    if (ContainsPlusMinus(item))
                    {
                        var expanded = ExpandPlusMinus(item);
                        if (expanded is null) return (null, false);
                        items.AddRange(expanded);
                    }
                    else items.Add(item);
                }
                return (items, false);
            }
            return (t.Items, true);
        }
        if (ContainsPlusMinus(e)) return (ExpandPlusMinus(e), false);
        return ([e], false);
    }

    /// <summary>A perfect matching of equal items (bipartite augmenting paths), so order and duplicates are handled exactly.</summary>
    private bool Matching(IReadOnlyList<MathExpression> a, IReadOnlyList<MathExpression> b, Context c)
    {
        int n = a.Count;
        var equal = new bool?[n, n];
        bool Eq(int i, int j) => equal[i, j] ??= Equal(a[i], b[j], c);
        var matchOfB = Enumerable.Repeat(-1, n).ToArray();
        for (int i = 0; i < n; i++)
        {
            var seen = new bool[n];
            if (!Augment(i, seen)) return false;
        }
        return true;

        bool Augment(int i, bool[] seen)
        {
            for (int j = 0; j < n; j++)
            {
                if (seen[j] || !Eq(i, j)) continue;
                seen[j] = true;
                if (matchOfB[j] < 0 || Augment(matchOfB[j], seen))
                {
                    matchOfB[j] = i;
                    return true;
                }
            }
            return false;
        }
    }

    private static bool ContainsPlusMinus(MathExpression e) => e switch
    {
        PlusMinusSignExpression => true,
        NegateExpression n => ContainsPlusMinus(n.Operand),
        BinaryExpression b => ContainsPlusMinus(b.Left) || ContainsPlusMinus(b.Right),
        RootExpression r => ContainsPlusMinus(r.Radicand),
        FunctionExpression f => ContainsPlusMinus(f.Argument),
        _ => false,
    };

    /// <summary><c>a ± b</c> as the two values a + b and a − b (one sign for every ± in the expression).</summary>
    private static List<MathExpression>? ExpandPlusMinus(MathExpression e)
    {
        if (e is TupleExpression or RelationExpression or ChainExpression) return null;
        return [Substitute(e, 1), Substitute(e, -1)];
    }

    private static MathExpression Substitute(MathExpression e, int sign) => e switch
    {
        PlusMinusSignExpression => new NumberExpression(sign) { Text = sign > 0 ? "1" : null },
        NegateExpression n => new NegateExpression(Substitute(n.Operand, sign)),
        BinaryExpression b => new BinaryExpression(b.Operator, Substitute(b.Left, sign), Substitute(b.Right, sign)),
        RootExpression r => new RootExpression(Substitute(r.Radicand, sign), r.Index),
        FunctionExpression f => new FunctionExpression(f.Name, Substitute(f.Argument, sign), f.Base),
        _ => e,
    };

    // ---- relations ----------------------------------------------------------------------------------------------

    private static bool IsRelation(MathExpression e) => e is RelationExpression or ChainExpression;

    private static (IReadOnlyList<MathExpression> Operands, IReadOnlyList<string> Operators) Links(MathExpression e) => e switch
    {
        RelationExpression r => ([r.Left, r.Right], [r.Operator]),
        ChainExpression ch => (ch.Operands, ch.Operators),
        _ => ([e], []),
    };

    private static bool IsEquationChain(IReadOnlyList<string> ops) => ops.All(o => o is "=" or "≈");

    /// <summary>A label: a variable, an inverse <c>f^{-1}</c>, a product of those such as <c>f(x)</c>, or a tuple of labels.</summary>
    private static bool IsLabel(MathExpression e) => e switch
    {
        VariableExpression => true,
        BinaryExpression { Operator: BinaryOperator.Multiply } b => IsLabel(b.Left) && IsLabel(b.Right),
        BinaryExpression { Operator: BinaryOperator.Power, Left: VariableExpression, Right: NegateExpression { Operand: NumberExpression { Value: 1 } } } => true,
        TupleExpression t => t.Items.Count > 0 && t.Items.All(IsLabel),
        _ => false,
    };

    /// <summary>
    /// An equation or chain of equations read as a value: <c>x = 11</c> is 11 (label x); <c>x = 3 + 3 = 6</c> is 6 when
    /// every link after the label holds; a chain without a label (<c>\frac{6}{2} = 3</c>) counts only when every link holds.
    /// Null when a link fails (<c>z = 3 + 3 = 2</c>) or the equation is not a value (<c>7 = 11a + c</c>).
    /// </summary>
    private (MathExpression? Label, MathExpression? Value) ReduceEquation(MathExpression e, Context c)
    {
        var (operands, ops) = Links(e);
        if (!IsEquationChain(ops)) return (null, null);
        int start = IsLabel(operands[0]) ? 1 : 0;
        for (int k = start; k < ops.Count; k++)
        {
            if (ops[k] == "≈") continue;
            if (!Equal(operands[k], operands[k + 1], c)) return (null, null);
        }
        return (start == 1 ? operands[0] : null, operands[^1]);
    }

    private bool RelationEqualsValue(MathExpression relation, MathExpression value, Context c)
    {
        var (operands, ops) = Links(relation);
        if (ops.Count == 1 && ops[0] == "in") return Equal(operands[1], value, c);
        if (IsEquationChain(ops))
        {
            var (_, v) = ReduceEquation(relation, c);
            return v is not null && Equal(v, value, c);
        }
        var set = IntervalSet.FromInequality(operands, ops);
        return set is not null && IntervalSetsEqual(set, IntervalSet.From(value), c);
    }

    private bool RelationsEqual(MathExpression x, MathExpression y, Context c)
    {
        var (ax, ox) = Links(x);
        var (ay, oy) = Links(y);
        bool ex = IsEquationChain(ox), ey = IsEquationChain(oy);
        if (ex && ey)
        {
            var (lx, vx) = ReduceEquation(x, c);
            var (ly, vy) = ReduceEquation(y, c);
            if (lx is not null && ly is not null)
                return vx is not null && vy is not null && lx.Equals(ly) && Equal(vx, vy, c);
            if (ox.Count == 1 && oy.Count == 1) return ProportionalDifference(ax[0], ax[1], ay[0], ay[1], anySign: true, c);
            return false;
        }
        if (ex != ey) return false;
        // Membership and inequalities: as sets of the same variable where possible.
        var sx = SetOfRelation(ax, ox);
        var sy = SetOfRelation(ay, oy);
        if (sx is not null && sy is not null)
            return sx.Value.Variable.Equals(sy.Value.Variable) && IntervalSetsEqual(sx.Value.Set, sy.Value.Set, c);
        if (ox.Count != 1 || oy.Count != 1) return false;
        return InequalitiesEqual(ax[0], ox[0], ax[1], ay[0], oy[0], ay[1], c);
    }

    private static (MathExpression Variable, IntervalSet Set)? SetOfRelation(IReadOnlyList<MathExpression> operands, IReadOnlyList<string> ops)
    {
        if (ops.Count == 1 && ops[0] == "in" && operands[0] is VariableExpression)
            return IntervalSet.From(operands[1]) is { } s ? (operands[0], s) : null;
        var set = IntervalSet.FromInequality(operands, ops);
        var variable = IntervalSet.InequalityVariable(operands, ops);
        return set is not null && variable is not null ? (variable, set) : null;
    }

    /// <summary><c>a &lt; b</c> against <c>c &gt; d</c>…: both as "difference &gt; 0" (or ≥, ≠), equal when the differences are positive multiples (any multiple for ≠).</summary>
    private bool InequalitiesEqual(MathExpression l1, string op1, MathExpression r1, MathExpression l2, string op2, MathExpression r2, Context c)
    {
        (MathExpression Diff, string Kind) Canon(MathExpression l, string op, MathExpression r) => op switch
        {
            "<" => (Sub(r, l), ">"),
            "<=" => (Sub(r, l), ">="),
            ">" => (Sub(l, r), ">"),
            ">=" => (Sub(l, r), ">="),
            _ => (Sub(l, r), op),
        };
        var (d1, k1) = Canon(l1, op1, r1);
        var (d2, k2) = Canon(l2, op2, r2);
        if (k1 != k2) return false;
        return k1 switch
        {
            ">" or ">=" => Proportional(d1, d2, anySign: false, c),
            "!=" => Proportional(d1, d2, anySign: true, c),
            _ => false,
        };
    }

    private static MathExpression Sub(MathExpression a, MathExpression b) => new BinaryExpression(BinaryOperator.Subtract, a, b);

    private bool ProportionalDifference(MathExpression l1, MathExpression r1, MathExpression l2, MathExpression r2, bool anySign, Context c)
    {
        if (l1 is TupleExpression || l2 is TupleExpression || r1 is TupleExpression || r2 is TupleExpression)
            return Equal(l1, l2, c) && Equal(r1, r2, c);
        return Proportional(Sub(l1, r1), Sub(l2, r2), anySign, c);
    }

    /// <summary>True when d1 = k·d2 for one constant k ≠ 0 (k &gt; 0 unless <paramref name="anySign"/>) at every sample point.</summary>
    private bool Proportional(MathExpression d1, MathExpression d2, bool anySign, Context c)
    {
        var names = Variables(d1, d2);
        if (names.Count == 0) return false;
        Complex? ratio = null;
        int defined = 0;
        foreach (var point in Points(names))
        {
            var a = PointEvaluator.Evaluate(d1, point, c.Token);
            var b = PointEvaluator.Evaluate(d2, point, c.Token);
            if (!a.IsDefined || !b.IsDefined) continue;
            bool za = IsZero(a), zb = IsZero(b);
            if (za != zb) return false;
            if (za) continue;
            var r = a.Approximate / b.Approximate;
            if (ratio is null)
            {
                if (!anySign && (Math.Abs(r.Imaginary) > 1e-9 * Math.Abs(r.Real) || r.Real <= 0)) return false;
                ratio = r;
            }
            else if (!Close(r, ratio.Value)) return false;
            defined++;
        }
        return defined > 0;
    }

    private static bool IsZero(NumericValue v) => v.Exact is { } e ? e.Sign == 0 : Complex.Abs(v.Approximate) < 1e-12;

    // ---- intervals ----------------------------------------------------------------------------------------------

    private bool IntervalSetsEqual(IntervalSet? a, IntervalSet? b, Context c)
    {
        if (a is null || b is null || a.Parts.Count != b.Parts.Count) return false;
        var used = new bool[b.Parts.Count];
        foreach (var p in a.Parts)
        {
            int match = -1;
            for (int j = 0; j < b.Parts.Count && match < 0; j++)
            {
                var q = b.Parts[j];
                if (!used[j] && p.LowOpen == q.LowOpen && p.HighOpen == q.HighOpen && Equal(p.Low, q.Low, c) && Equal(p.High, q.High, c)) match = j;
            }
            if (match < 0) return false;
            used[match] = true;
        }
        return true;
    }

    // ---- matrices -----------------------------------------------------------------------------------------------

    private bool MatrixEqual(MathExpression x, MathExpression y, Context c)
    {
        var fx = MatrixFolding.Fold(x);
        var fy = MatrixFolding.Fold(y);
        if (fx is null || fy is null) return false;
        if (fx is MatrixExpression mx && fy is MatrixExpression my)
        {
            if (mx.Rows.Count != my.Rows.Count || mx.Rows[0].Count != my.Rows[0].Count) return false;
            for (int i = 0; i < mx.Rows.Count; i++)
                for (int j = 0; j < mx.Rows[i].Count; j++)
                    if (!ScalarEqual(mx.Rows[i][j], my.Rows[i][j], c)) return false;
            return true;
        }
        if (fx is MatrixExpression || fy is MatrixExpression) return false;
        return Equal(fx, fy, c);
    }

    // ---- scalars ------------------------------------------------------------------------------------------------

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
        return Close(a.Approximate, b.Approximate);
    }

    private bool Close(Complex a, Complex b)
    {
        if (double.IsInfinity(a.Real) || double.IsInfinity(b.Real) || double.IsInfinity(a.Imaginary) || double.IsInfinity(b.Imaginary))
            return a == b;
        double scale = Math.Max(Complex.Abs(a), Complex.Abs(b));
        double diff = Complex.Abs(a - b);
        return diff <= _relativeTolerance * scale || diff <= 1e-12;
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
