using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>
/// Evaluates matrix arithmetic symbolically: sums, differences, scalar multiples and products of matrices become one
/// matrix of cell expressions; a <c>vmatrix</c> (or <c>Vmatrix</c>) is its determinant. Cells are compared later.
/// </summary>
internal static class MatrixFolding
{
    /// <summary>Largest matrix side handled (determinants are expanded by minors).</summary>
    public const int MaxSide = 6;

    /// <summary>True when <paramref name="e"/> mentions a matrix.</summary>
    public static bool ContainsMatrix(MathExpression e) => e switch
    {
        MatrixExpression => true,
        BinaryExpression b => ContainsMatrix(b.Left) || ContainsMatrix(b.Right),
        NegateExpression n => ContainsMatrix(n.Operand),
        _ => false,
    };

    /// <summary>The expression with matrix arithmetic carried out: a <see cref="MatrixExpression"/>, a scalar, or null when the shapes do not fit.</summary>
    public static MathExpression? Fold(MathExpression e)
    {
        switch (e)
        {
            case MatrixExpression m when m.Environment is "vmatrix" or "Vmatrix":
                return m.Rows.Count == m.Rows[0].Count && m.Rows.Count <= MaxSide ? Determinant(m.Rows) : null;
            case MatrixExpression m:
                return m;
            case NegateExpression n:
            {
                var inner = Fold(n.Operand);
                return inner is MatrixExpression mm ? Map(mm, c => new NegateExpression(c)) : inner is null ? null : new NegateExpression(inner);
            }
            case BinaryExpression b when ContainsMatrix(b):
            {
                var l = Fold(b.Left);
                var r = Fold(b.Right);
                if (l is null || r is null) return null;
                return (l, r, b.Operator) switch
                {
                    (MatrixExpression a, MatrixExpression c, BinaryOperator.Add or BinaryOperator.Subtract) => Cellwise(a, c, b.Operator),
                    (MatrixExpression a, MatrixExpression c, BinaryOperator.Multiply) => Product(a, c),
                    (MatrixExpression a, _, BinaryOperator.Multiply or BinaryOperator.Divide) when r is not MatrixExpression
                        => Map(a, x => new BinaryExpression(b.Operator, x, r)),
                    (_, MatrixExpression c, BinaryOperator.Multiply) when l is not MatrixExpression
                        => Map(c, x => new BinaryExpression(BinaryOperator.Multiply, l, x)),
                    (MatrixExpression, MatrixExpression, _) => null,
                    (MatrixExpression, _, _) or (_, MatrixExpression, _) => null,
                    _ => new BinaryExpression(b.Operator, l, r),
                };
            }
            default:
                return e;
        }
    }

    private static MatrixExpression Map(MatrixExpression m, Func<MathExpression, MathExpression> f)
        => new(m.Rows.Select(r => (IReadOnlyList<MathExpression>)r.Select(f).ToList()).ToList(), m.Environment);

    private static MatrixExpression? Cellwise(MatrixExpression a, MatrixExpression b, BinaryOperator op)
    {
        if (a.Rows.Count != b.Rows.Count || a.Rows[0].Count != b.Rows[0].Count) return null;
        var rows = a.Rows.Select((r, i) => (IReadOnlyList<MathExpression>)r.Select((c, j) => (MathExpression)new BinaryExpression(op, c, b.Rows[i][j])).ToList()).ToList();
        return new MatrixExpression(rows, a.Environment);
    }

    private static MatrixExpression? Product(MatrixExpression a, MatrixExpression b)
    {
        int n = a.Rows.Count, k = a.Rows[0].Count, m = b.Rows[0].Count;
        if (k != b.Rows.Count || n > MaxSide * 2 || m > MaxSide * 2) return null;
        var rows = new List<IReadOnlyList<MathExpression>>();
        for (int i = 0; i < n; i++)
        {
            var row = new List<MathExpression>();
            for (int j = 0; j < m; j++)
            {
                MathExpression sum = new BinaryExpression(BinaryOperator.Multiply, a.Rows[i][0], b.Rows[0][j]);
                for (int t = 1; t < k; t++)
                    sum = new BinaryExpression(BinaryOperator.Add, sum, new BinaryExpression(BinaryOperator.Multiply, a.Rows[i][t], b.Rows[t][j]));
                row.Add(sum);
            }
            rows.Add(row);
        }
        return new MatrixExpression(rows, a.Environment);
    }

    private static MathExpression Determinant(IReadOnlyList<IReadOnlyList<MathExpression>> rows)
    {
        int n = rows.Count;
        if (n == 1) return rows[0][0];
        MathExpression? sum = null;
        for (int j = 0; j < n; j++)
        {
            var minor = rows.Skip(1).Select(r => (IReadOnlyList<MathExpression>)r.Where((_, c) => c != j).ToList()).ToList();
            MathExpression term = new BinaryExpression(BinaryOperator.Multiply, rows[0][j], Determinant(minor));
            sum = sum is null ? term : new BinaryExpression(j % 2 == 0 ? BinaryOperator.Add : BinaryOperator.Subtract, sum, term);
        }
        return sum!;
    }
}
