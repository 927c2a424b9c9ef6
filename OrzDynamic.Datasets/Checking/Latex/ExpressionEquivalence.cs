namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>
/// Decides whether two parsed expressions are the same answer: structurally identical, or numerically equal within a
/// relative tolerance — at one point when there are no variables, at several deterministic pseudo-random variable
/// assignments otherwise. Tuples/intervals compare item by item with the same delimiters; relations compare by
/// operator and sides (for = and ≠ also as Left−Right up to sign).
/// </summary>
internal sealed class ExpressionEquivalence
{
    /// <summary>Creates a comparer.</summary>
    /// <param name="relativeTolerance">Largest accepted |a−b| / max(|a|,|b|).</param>
    /// <param name="samplePoints">Number of variable assignments tried when variables occur.</param>
    /// <param name="seed">Seed of the assignments (results are reproducible).</param>
    public ExpressionEquivalence(double relativeTolerance = 1e-9, int samplePoints = 5, int seed = 20250125)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplePoints);
        ArgumentOutOfRangeException.ThrowIfNegative(relativeTolerance);
        RelativeTolerance = relativeTolerance;
        SamplePoints = samplePoints;
        Seed = seed;
    }

    /// <summary>Largest accepted relative difference.</summary>
    public double RelativeTolerance { get; }

    /// <summary>Variable assignments tried when variables occur.</summary>
    public int SamplePoints { get; }

    /// <summary>Seed for the assignments.</summary>
    public int Seed { get; }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> denote the same answer.</summary>
    public bool AreEquivalent(MathExpression a, MathExpression b, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        cancellationToken.ThrowIfCancellationRequested();
        if (a.Equals(b)) return true;
        switch (a, b)
        {
            case (TupleExpression ta, TupleExpression tb):
                if (ta.Open != tb.Open || ta.Close != tb.Close || ta.Items.Count != tb.Items.Count) return false;
                for (int i = 0; i < ta.Items.Count; i++)
                    if (!AreEquivalent(ta.Items[i], tb.Items[i], cancellationToken)) return false;
                return true;
            case (RelationExpression ra, RelationExpression rb):
                if (ra.Operator != rb.Operator) return false;
                if (AreEquivalent(ra.Left, rb.Left, cancellationToken) && AreEquivalent(ra.Right, rb.Right, cancellationToken)) return true;
                if (ra.Operator is "=" or "!=")
                {
                    var da = new BinaryExpression(BinaryOperator.Subtract, ra.Left, ra.Right);
                    var db = new BinaryExpression(BinaryOperator.Subtract, rb.Left, rb.Right);
                    return ScalarEquivalent(da, db, cancellationToken) || ScalarEquivalent(da, new NegateExpression(db), cancellationToken);
                }
                return false;
            case (TupleExpression, _) or (_, TupleExpression) or (RelationExpression, _) or (_, RelationExpression):
                return false;
            default:
                return ScalarEquivalent(a, b, cancellationToken);
        }
    }

    private bool ScalarEquivalent(MathExpression a, MathExpression b, CancellationToken ct)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        ExpressionEvaluator.CollectVariables(a, names);
        ExpressionEvaluator.CollectVariables(b, names);
        var rng = new Random(Seed);
        int points = names.Count == 0 ? 1 : SamplePoints;
        int defined = 0;
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int p = 0; p < points; p++)
        {
            ct.ThrowIfCancellationRequested();
            values.Clear();
            foreach (var n in names) values[n] = 0.5 + 2.0 * rng.NextDouble();
            double va = ExpressionEvaluator.Evaluate(a, values);
            double vb = ExpressionEvaluator.Evaluate(b, values);
            if (double.IsNaN(va) && double.IsNaN(vb)) continue;
            if (!NumbersEqual(va, vb)) return false;
            defined++;
        }
        return defined > 0;
    }

    /// <summary>Equality of two values under <see cref="RelativeTolerance"/> (infinities equal only to the same infinity).</summary>
    public bool NumbersEqual(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y)) return false;
        if (double.IsInfinity(x) || double.IsInfinity(y)) return x == y;
        if (x == y) return true;
        double scale = Math.Max(Math.Abs(x), Math.Abs(y));
        return Math.Abs(x - y) <= RelativeTolerance * scale;
    }
}
