using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>Lists, sets and tuples: unordered matching, ordered comparison, ± expansion.</summary>
internal sealed partial class AnswerEquivalence
{
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
            // A parenthesised tuple keeps its order, also against a bare list: "(3, 2)" = "3, 2" ≠ "2, 3". Square brackets
            // ([1, 2], [1, 2)) write intervals, which a list of numbers is not.
            if (IsSet(x) || IsSet(y)) return false;
            if (!(ox && oy) && (NotParenthesised(x) || NotParenthesised(y))) return false;
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

    private static bool NotParenthesised(MathExpression e) => e is TupleExpression { Open: not ('(' or '\0' or '{') } or TupleExpression { Close: ']' };

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
}
