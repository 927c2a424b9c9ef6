using System.Numerics;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>Equations, chains, labels, inequalities (differences proportional at the sample points) and interval sets.</summary>
internal sealed partial class AnswerEquivalence
{
    private static bool IsRelation(MathExpression e) => e is RelationExpression or ChainExpression;

    private static (IReadOnlyList<MathExpression> Operands, IReadOnlyList<string> Operators) Links(MathExpression e) => e switch
    {
        RelationExpression r => ([r.Left, r.Right], [r.Operator]),
        ChainExpression ch => (ch.Operands, ch.Operators),
        _ => ([e], []),
    };

    private static bool IsEquationChain(IReadOnlyList<string> ops) => ops.All(o => o is "=" or "≈");

    /// <summary>
    /// A label: a variable, an inverse <c>f^{-1}</c>, a product of those such as <c>AB</c> or <c>f(x)</c>, a function of
    /// constants such as <c>f(3)</c>, or a tuple of labels.
    /// </summary>
    private static bool IsLabel(MathExpression e) => e switch
    {
        VariableExpression => true,
        // A product of labels (AB, f(x)) or a function of constants (f(3), P(2)).
        BinaryExpression { Operator: BinaryOperator.Multiply } b => IsLabel(b.Left) && (IsLabel(b.Right) || (b.Left is VariableExpression && !HasVariables(b.Right))),
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
        // Leading labels (a = b = 3) name the value; the links after them must hold.
        int start = 0;
        while (start < operands.Count - 1 && IsLabel(operands[start])) start++;
        for (int k = start; k < ops.Count; k++)
        {
            if (ops[k] == "≈") continue;
            if (!Equal(operands[k], operands[k + 1], c)) return (null, null);
        }
        return (start >= 1 ? operands[0] : null, operands[^1]);
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
}
