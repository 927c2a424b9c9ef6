namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>A parsed mathematical expression (the result of <see cref="LatexParser"/>).</summary>
internal abstract record MathExpression
{
    /// <summary>Number of nodes in this tree.</summary>
    public abstract int Size { get; }
}

/// <summary>A decimal constant.</summary>
/// <param name="Value">The value.</param>
internal sealed record NumberExpression(double Value) : MathExpression
{
    /// <inheritdoc />
    public override int Size => 1;

    /// <summary>The digits as written (e.g. <c>0.50</c>), when known; exact arithmetic reads the value from them.</summary>
    public string? Text { get; init; }

    /// <inheritdoc />
    public bool Equals(NumberExpression? other) => other is not null && Value.Equals(other.Value);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();
}

/// <summary>A named constant: <c>pi</c>, <c>infinity</c>, and in the free-form dialect <c>e</c> and <c>i</c>.</summary>
/// <param name="Name">"pi", "infty", "e" or "i".</param>
internal sealed record ConstantExpression(string Name) : MathExpression
{
    /// <inheritdoc />
    public override int Size => 1;

    /// <summary>The numeric value.</summary>
    public double Value => Name switch
    {
        "pi" => Math.PI,
        "e" => Math.E,
        "infty" => double.PositiveInfinity,
        _ => double.NaN,
    };
}

/// <summary>A free variable (a letter, a Greek or other control word, optionally with a subscript: <c>x_1</c>).</summary>
/// <param name="Name">The variable's name.</param>
internal sealed record VariableExpression(string Name) : MathExpression
{
    /// <inheritdoc />
    public override int Size => 1;
}

/// <summary>
/// The formal sign s of <c>\pm</c>: <c>a \pm b</c> is <c>a + s·b</c>. It is compared like a free variable, so two ±
/// answers are equal exactly when they agree as expressions in s.
/// </summary>
internal sealed record PlusMinusSignExpression : MathExpression
{
    /// <summary>The name under which the sign takes a value in <see cref="ExpressionEvaluator"/> (no parsed variable has this name).</summary>
    public const string VariableName = "±";

    /// <inheritdoc />
    public override int Size => 1;
}

/// <summary>Arithmetic operators of <see cref="BinaryExpression"/>.</summary>
internal enum BinaryOperator
{
    /// <summary>a + b</summary>
    Add,
    /// <summary>a − b</summary>
    Subtract,
    /// <summary>a · b (explicit or implicit)</summary>
    Multiply,
    /// <summary>a / b, \frac{a}{b}</summary>
    Divide,
    /// <summary>a ^ b</summary>
    Power,
}

/// <summary>A binary arithmetic operation.</summary>
internal sealed record BinaryExpression(BinaryOperator Operator, MathExpression Left, MathExpression Right) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Left.Size + Right.Size;
}

/// <summary>Negation −a.</summary>
internal sealed record NegateExpression(MathExpression Operand) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Operand.Size;
}

/// <summary>A function application such as <c>\sin x</c>, <c>\log_2 8</c>, |x| ("abs") or n! ("factorial").</summary>
/// <param name="Name">sin, cos, tan, cot, sec, csc, arcsin, arccos, arctan, sinh, cosh, tanh, ln, log, exp, abs, factorial.</param>
/// <param name="Argument">The argument.</param>
/// <param name="Base">The logarithm base for <c>\log_b</c>, else null.</param>
internal sealed record FunctionExpression(string Name, MathExpression Argument, MathExpression? Base = null) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Argument.Size + (Base?.Size ?? 0);
}

/// <summary>A root <c>\sqrt[Index]{Radicand}</c>; Index null means square root.</summary>
internal sealed record RootExpression(MathExpression Radicand, MathExpression? Index) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Radicand.Size + (Index?.Size ?? 0);
}

/// <summary>
/// A tuple, list or interval: items with their delimiters (<c>(</c>, <c>[</c>, or '\0' for a bare top-level
/// comma list; closers <c>)</c>/<c>]</c>). Parentheses around a single scalar are grouping, not a tuple; parentheses
/// around a single tuple make a one-element tuple (so <c>((1,2))</c> is not <c>(1,2)</c>).
/// </summary>
internal sealed record TupleExpression(IReadOnlyList<MathExpression> Items, char Open, char Close) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Items.Sum(i => i.Size);

    /// <inheritdoc />
    public bool Equals(TupleExpression? other)
        => other is not null && Open == other.Open && Close == other.Close && Items.SequenceEqual(other.Items);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Open, Close, Items.Count);
}

/// <summary>A relation <c>Left Op Right</c> with Op one of <c>= ≠ &lt; &gt; ≤ ≥</c> (written "=", "!=", "&lt;", "&gt;", "&lt;=", "&gt;=").</summary>
internal sealed record RelationExpression(string Operator, MathExpression Left, MathExpression Right) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Left.Size + Right.Size;
}

/// <summary>
/// A chain of two or more relations, <c>a = b = c</c> or <c>1 &lt; x \le 3</c>: <c>Operands[k] Operators[k] Operands[k+1]</c>
/// for every k (operators spelt as in <see cref="RelationExpression"/>, plus "≈" for <c>\approx</c>).
/// </summary>
internal sealed record ChainExpression(IReadOnlyList<MathExpression> Operands, IReadOnlyList<string> Operators) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Operands.Sum(o => o.Size);

    /// <inheritdoc />
    public bool Equals(ChainExpression? other)
        => other is not null && Operands.SequenceEqual(other.Operands) && Operators.SequenceEqual(other.Operators);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Operands.Count, Operators.Count);
}

/// <summary>A matrix: rows of cells. <paramref name="Environment"/> is pmatrix, bmatrix, matrix… (vmatrix is a determinant).</summary>
internal sealed record MatrixExpression(IReadOnlyList<IReadOnlyList<MathExpression>> Rows, string Environment) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Rows.Sum(r => r.Sum(c => c.Size));

    /// <inheritdoc />
    public bool Equals(MatrixExpression? other)
        => other is not null && Rows.Count == other.Rows.Count && Rows.Zip(other.Rows).All(p => p.First.SequenceEqual(p.Second));

    /// <inheritdoc />
    public override int GetHashCode() => Rows.Count;
}

/// <summary>A union of sets or intervals, <c>A \cup B \cup …</c>.</summary>
internal sealed record UnionExpression(IReadOnlyList<MathExpression> Parts) : MathExpression
{
    /// <inheritdoc />
    public override int Size { get; } = 1 + Parts.Sum(p => p.Size);

    /// <inheritdoc />
    public bool Equals(UnionExpression? other) => other is not null && Parts.SequenceEqual(other.Parts);

    /// <inheritdoc />
    public override int GetHashCode() => Parts.Count;
}
