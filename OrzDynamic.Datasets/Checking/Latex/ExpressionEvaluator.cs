namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>Evaluates a scalar <see cref="MathExpression"/> in double precision for given variable values.</summary>
internal static class ExpressionEvaluator
{
    /// <summary>
    /// The value of <paramref name="expression"/>; NaN where it is undefined in the reals (e.g. √−1, 0/0, a variable
    /// without a value, a tuple or relation).
    /// </summary>
    public static double Evaluate(MathExpression expression, IReadOnlyDictionary<string, double> variables)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(variables);
        return Eval(expression, variables);
    }

    private static double Eval(MathExpression e, IReadOnlyDictionary<string, double> v) => e switch
    {
        NumberExpression n => n.Value,
        ConstantExpression c => c.Value,
        VariableExpression x => v.TryGetValue(x.Name, out var value) ? value : double.NaN,
        PlusMinusSignExpression => v.TryGetValue(PlusMinusSignExpression.VariableName, out var sign) ? sign : double.NaN,
        NegateExpression n => -Eval(n.Operand, v),
        BinaryExpression b => Binary(b.Operator, Eval(b.Left, v), Eval(b.Right, v)),
        RootExpression r => Root(Eval(r.Radicand, v), r.Index is null ? 2 : Eval(r.Index, v)),
        FunctionExpression f => Function(f.Name, Eval(f.Argument, v), f.Base is null ? double.NaN : Eval(f.Base, v)),
        _ => double.NaN,
    };

    private static double Binary(BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Add => a + b,
        BinaryOperator.Subtract => a - b,
        BinaryOperator.Multiply => a * b,
        BinaryOperator.Divide => b == 0 ? double.NaN : a / b,
        BinaryOperator.Power => Math.Pow(a, b),
        _ => double.NaN,
    };

    private static double Root(double x, double n)
    {
        if (n == 2) return Math.Sqrt(x);
        if (x < 0 && Math.Abs(n % 2) == 1) return -Math.Pow(-x, 1 / n);
        return Math.Pow(x, 1 / n);
    }

    private static double Function(string name, double x, double logBase) => name switch
    {
        "ln" => x > 0 ? Math.Log(x) : double.NaN,
        "log" => x > 0 ? (double.IsNaN(logBase) ? Math.Log(x) : Math.Log(x) / Math.Log(logBase)) : double.NaN,
        "abs" => Math.Abs(x),
        "factorial" => Factorial(x),
        _ => ElementaryFunctions.Real(name, x) ?? double.NaN,
    };

    private static double Factorial(double x)
    {
        if (x < 0 || x > 170 || x != Math.Floor(x)) return double.NaN;
        double r = 1;
        for (int i = 2; i <= (int)x; i++) r *= i;
        return r;
    }

    /// <summary>The names of the free variables of <paramref name="expression"/>.</summary>
    public static void CollectVariables(MathExpression expression, ISet<string> into)
    {
        switch (expression)
        {
            case VariableExpression x: into.Add(x.Name); break;
            case PlusMinusSignExpression: into.Add(PlusMinusSignExpression.VariableName); break;
            case NegateExpression n: CollectVariables(n.Operand, into); break;
            case BinaryExpression b: CollectVariables(b.Left, into); CollectVariables(b.Right, into); break;
            case RootExpression r: CollectVariables(r.Radicand, into); if (r.Index is not null) CollectVariables(r.Index, into); break;
            case FunctionExpression f: CollectVariables(f.Argument, into); if (f.Base is not null) CollectVariables(f.Base, into); break;
            case TupleExpression t: foreach (var i in t.Items) CollectVariables(i, into); break;
            case RelationExpression rel: CollectVariables(rel.Left, into); CollectVariables(rel.Right, into); break;
        }
    }
}
