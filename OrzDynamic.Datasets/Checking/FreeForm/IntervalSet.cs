using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>One interval: its ends (possibly ±∞) and whether each is open.</summary>
internal sealed record Interval(MathExpression Low, bool LowOpen, MathExpression High, bool HighOpen);

/// <summary>A union of intervals, built from interval notation or from an inequality in one variable.</summary>
internal sealed record IntervalSet(IReadOnlyList<Interval> Parts)
{
    private static readonly MathExpression Infinity = new ConstantExpression("infty");
    private static readonly MathExpression MinusInfinity = new NegateExpression(new ConstantExpression("infty"));

    /// <summary>Interval notation: <c>(a, b)</c>, <c>[a, b)</c>…, a union of those, or ∅; null for anything else.</summary>
    public static IntervalSet? From(MathExpression e)
    {
        switch (e)
        {
            case UnionExpression u:
            {
                var parts = new List<Interval>();
                foreach (var p in u.Parts)
                {
                    var s = From(p);
                    if (s is null) return null;
                    parts.AddRange(s.Parts);
                }
                return new IntervalSet(parts);
            }
            case TupleExpression { Items.Count: 2 } t when t.Open is '(' or '[' && t.Close is ')' or ']':
                return new IntervalSet([new Interval(t.Items[0], t.Open == '(', t.Items[1], t.Close == ')')]);
            case TupleExpression { Items.Count: 0, Open: '{' }:
                return new IntervalSet([]);
            default:
                return null;
        }
    }

    /// <summary>The variable of an inequality in one variable (<c>x &lt; 3</c>, <c>1 &lt; x \le 4</c>), or null.</summary>
    public static MathExpression? InequalityVariable(IReadOnlyList<MathExpression> operands, IReadOnlyList<string> ops)
    {
        if (ops.Count == 1) return operands[0] is VariableExpression ? operands[0] : operands[1] is VariableExpression ? operands[1] : null;
        if (ops.Count == 2 && operands[1] is VariableExpression) return operands[1];
        return null;
    }

    /// <summary>
    /// The set described by <c>x &lt; a</c>, <c>a \ge x</c>, <c>a &lt; x &lt; b</c> (same direction) and the like, the
    /// variable alone on its side; null for other relations.
    /// </summary>
    public static IntervalSet? FromInequality(IReadOnlyList<MathExpression> operands, IReadOnlyList<string> ops)
    {
        if (ops.Any(o => o is not ("<" or "<=" or ">" or ">="))) return null;
        if (ops.Count == 1)
        {
            var (l, op, r) = (operands[0], ops[0], operands[1]);
            if (l is VariableExpression && r is not VariableExpression) return Bound(op, r);
            if (r is VariableExpression && l is not VariableExpression) return Bound(Flip(op), l);
            return null;
        }
        if (ops.Count == 2 && operands[1] is VariableExpression)
        {
            bool up = ops.All(o => o is "<" or "<=");
            bool down = ops.All(o => o is ">" or ">=");
            if (up) return new IntervalSet([new Interval(operands[0], ops[0] == "<", operands[2], ops[1] == "<")]);
            if (down) return new IntervalSet([new Interval(operands[2], ops[1] == ">", operands[0], ops[0] == ">")]);
        }
        return null;
    }

    private static string Flip(string op) => op switch { "<" => ">", "<=" => ">=", ">" => "<", _ => "<=" };

    private static IntervalSet Bound(string op, MathExpression bound) => op switch
    {
        "<" => new IntervalSet([new Interval(MinusInfinity, true, bound, true)]),
        "<=" => new IntervalSet([new Interval(MinusInfinity, true, bound, false)]),
        ">" => new IntervalSet([new Interval(bound, true, Infinity, true)]),
        _ => new IntervalSet([new Interval(bound, false, Infinity, true)]),
    };
}
