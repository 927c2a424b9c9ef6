namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>A node of the parsed template; <see cref="Position"/> is where it starts in the preprocessed text.</summary>
internal abstract record Node(int Position);

// Statements
internal sealed record TextNode(int Position, string Text) : Node(Position);

internal sealed record CommentNode(int Position) : Node(Position);

internal sealed record IfNode(int Position, Node Test, List<Node> Body, List<Node> Alternate) : Node(Position);

internal sealed record ForNode(int Position, Node Target, Node Iterable, Node? Filter, List<Node> Body, List<Node> Else) : Node(Position);

internal sealed record SetNode(int Position, Node Target, Node? Value, List<Node> Body) : Node(Position);

internal sealed record MacroNode(int Position, string Name, List<MacroParameter> Parameters, List<Node> Body) : Node(Position);

internal sealed record MacroParameter(string Name, Node? Default);

internal sealed record BreakNode(int Position) : Node(Position);

internal sealed record ContinueNode(int Position) : Node(Position);

// Expressions
internal sealed record IntegerLiteral(int Position, long Value) : Node(Position);

internal sealed record FloatLiteral(int Position, double Value) : Node(Position);

internal sealed record StringLiteral(int Position, string Value) : Node(Position);

internal sealed record IdentifierNode(int Position, string Name) : Node(Position);

internal sealed record ArrayLiteral(int Position, List<Node> Items) : Node(Position);

internal sealed record TupleLiteral(int Position, List<Node> Items) : Node(Position);

internal sealed record DictLiteral(int Position, List<(Node Key, Node Value)> Entries) : Node(Position);

/// <summary><c>object.name</c> (<see cref="Computed"/> false) or <c>object[expr]</c>.</summary>
internal sealed record MemberNode(int Position, Node Object, Node Property, bool Computed) : Node(Position);

internal sealed record SliceNode(int Position, Node? Start, Node? Stop, Node? Step) : Node(Position);

internal sealed record CallNode(int Position, Node Callee, List<Argument> Arguments) : Node(Position);

/// <summary>A call argument: positional when <see cref="Name"/> is null, else a keyword argument.</summary>
internal sealed record Argument(string? Name, Node Value);

/// <summary><c>operand | name</c> or <c>operand | name(args)</c> (<see cref="Arguments"/> non-null).</summary>
internal sealed record FilterNode(int Position, Node Operand, string Name, List<Argument>? Arguments) : Node(Position);

internal sealed record TestNode(int Position, Node Operand, bool Negate, string Name) : Node(Position);

internal sealed record UnaryNode(int Position, string Operator, Node Operand) : Node(Position);

internal sealed record BinaryNode(int Position, string Operator, Node Left, Node Right) : Node(Position);

/// <summary><c>a if cond else b</c>.</summary>
internal sealed record TernaryNode(int Position, Node Condition, Node WhenTrue, Node WhenFalse) : Node(Position);

/// <summary><c>a if cond</c> without else: undefined when the condition is false.</summary>
internal sealed record SelectNode(int Position, Node Value, Node Condition) : Node(Position);
