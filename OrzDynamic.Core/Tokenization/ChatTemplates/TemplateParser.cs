namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>
/// Builds the template's syntax tree from its tokens, with the operator precedence of the reference implementation
/// (lowest first): <c>a if c else b</c>, <c>or</c>, <c>and</c>, <c>not</c>, comparisons and <c>in</c>, <c>+ - ~</c>,
/// <c>* / // %</c>, <c>**</c>, <c>is</c> tests, <c>|</c> filters, unary signs, member access and calls.
/// </summary>
internal sealed class TemplateParser
{
    private readonly List<TemplateToken> _tokens;
    private readonly TemplateSource _source;
    private readonly string? _origin;
    private int _current;

    private TemplateParser(List<TemplateToken> tokens, TemplateSource source, string? origin)
    {
        _tokens = tokens;
        _source = source;
        _origin = origin;
    }

    public static List<Node> Parse(List<TemplateToken> tokens, TemplateSource source, string? origin)
    {
        var parser = new TemplateParser(tokens, source, origin);
        var body = new List<Node>();
        while (parser._current < tokens.Count) body.Add(parser.ParseAny());
        return body;
    }

    private ChatTemplateException Error(int position, string reason)
    {
        var (line, column) = _source.Locate(position);
        return new ChatTemplateException(_origin, line, column, reason);
    }

    private TemplateToken Peek(int ahead = 0) =>
        _current + ahead < _tokens.Count ? _tokens[_current + ahead] : throw Error(_source.Text.Length, "unexpected end of the template (a tag or block is not closed)");

    private bool Is(TokenKind kind, int ahead = 0) => _current + ahead < _tokens.Count && _tokens[_current + ahead].Kind == kind;

    private bool IsIdentifier(string name, int ahead = 0) => Is(TokenKind.Identifier, ahead) && _tokens[_current + ahead].Value == name;

    private bool IsStatement(params string[] names) =>
        Is(TokenKind.OpenStatement) && Is(TokenKind.Identifier, 1) && names.Contains(_tokens[_current + 1].Value);

    private TemplateToken Expect(TokenKind kind, string what)
    {
        var token = Peek();
        if (token.Kind != kind) throw Error(token.Position, $"expected {what}, found {Describe(token)}");
        _current++;
        return token;
    }

    private void ExpectIdentifier(string name)
    {
        var token = Peek();
        if (token.Kind != TokenKind.Identifier || token.Value != name) throw Error(token.Position, $"expected '{name}', found {Describe(token)}");
        _current++;
    }

    private static string Describe(TemplateToken token) => token.Kind switch
    {
        TokenKind.Text => "template text",
        TokenKind.String => $"string '{token.Value}'",
        TokenKind.Comment => "a comment",
        _ => $"'{token.Value}'",
    };

    private Node ParseAny()
    {
        var token = Peek();
        switch (token.Kind)
        {
            case TokenKind.Comment:
                _current++;
                return new CommentNode(token.Position);
            case TokenKind.Text:
                _current++;
                return new TextNode(token.Position, token.Value);
            case TokenKind.OpenStatement:
                return ParseStatement();
            case TokenKind.OpenExpression:
                {
                    _current++;
                    var expression = ParseExpression();
                    Expect(TokenKind.CloseExpression, "'}}'");
                    return expression;
                }
            default:
                throw Error(token.Position, $"unexpected {Describe(token)}");
        }
    }

    private Node ParseStatement()
    {
        var open = Expect(TokenKind.OpenStatement, "'{%'");
        var keyword = Peek();
        if (keyword.Kind != TokenKind.Identifier) throw Error(keyword.Position, $"expected a statement name after '{{%', found {Describe(keyword)}");
        _current++;
        switch (keyword.Value)
        {
            case "set":
                return ParseSet(open.Position);
            case "if":
                {
                    var node = ParseIf(open.Position);
                    ExpectEnd("endif");
                    return node;
                }
            case "for":
                {
                    var node = ParseFor(open.Position);
                    ExpectEnd("endfor");
                    return node;
                }
            case "macro":
                {
                    var node = ParseMacro(open.Position);
                    ExpectEnd("endmacro");
                    return node;
                }
            case "break":
                Expect(TokenKind.CloseStatement, "'%}'");
                return new BreakNode(open.Position);
            case "continue":
                Expect(TokenKind.CloseStatement, "'%}'");
                return new ContinueNode(open.Position);
            case "call" or "filter" or "raw" or "include" or "import" or "from" or "extends" or "block" or "with" or "autoescape":
                throw Error(keyword.Position, $"the '{keyword.Value}' statement is not supported by this chat-template interpreter");
            case "elif" or "else" or "endif" or "endfor" or "endset" or "endmacro":
                throw Error(keyword.Position, $"'{{% {keyword.Value} %}}' has no matching opening statement");
            default:
                throw Error(keyword.Position, $"unknown statement '{keyword.Value}'");
        }
    }

    /// <summary>Statements up to one of <paramref name="ends"/>; names the opening tag when the template ends first.</summary>
    private List<Node> ParseBody(int openPosition, string block, params string[] ends)
    {
        var body = new List<Node>();
        while (!IsStatement(ends))
        {
            if (_current >= _tokens.Count) throw Error(openPosition, $"'{{% {block} %}}' is never closed with '{{% {ends[^1]} %}}'");
            body.Add(ParseAny());
        }
        return body;
    }

    private void ExpectEnd(string name)
    {
        Expect(TokenKind.OpenStatement, $"'{{% {name} %}}'");
        ExpectIdentifier(name);
        Expect(TokenKind.CloseStatement, "'%}'");
    }

    private SetNode ParseSet(int position)
    {
        var target = ParseSequence(primary: false);
        if (Is(TokenKind.Equals))
        {
            _current++;
            var value = ParseSequence(primary: false);
            Expect(TokenKind.CloseStatement, "'%}'");
            return new SetNode(position, target, value, []);
        }
        Expect(TokenKind.CloseStatement, "'=' or '%}'");
        var body = ParseBody(position, "set", "endset");
        ExpectEnd("endset");
        return new SetNode(position, target, null, body);
    }

    private IfNode ParseIf(int position)
    {
        var test = ParseExpression();
        Expect(TokenKind.CloseStatement, "'%}'");
        var body = ParseBody(position, "if", "elif", "else", "endif");
        var alternate = new List<Node>();
        if (IsStatement("elif"))
        {
            var elif = Peek().Position;
            _current += 2;
            alternate.Add(ParseIf(elif));
        }
        else if (IsStatement("else"))
        {
            _current += 2;
            Expect(TokenKind.CloseStatement, "'%}'");
            alternate = ParseBody(position, "if", "endif");
        }
        return new IfNode(position, test, body, alternate);
    }

    private ForNode ParseFor(int position)
    {
        var target = ParseSequence(primary: true);
        if (target is not IdentifierNode and not TupleLiteral) throw Error(target.Position, "expected a name or names for the loop variable");
        if (!IsIdentifier("in")) throw Error(Peek().Position, $"expected 'in' after the loop variable, found {Describe(Peek())}");
        _current++;
        var iterable = ParseExpression();
        Node? filter = null;
        if (iterable is SelectNode select)
        {
            iterable = select.Value;
            filter = select.Condition;
        }
        Expect(TokenKind.CloseStatement, "'%}'");
        var body = ParseBody(position, "for", "endfor", "else");
        var otherwise = new List<Node>();
        if (IsStatement("else"))
        {
            _current += 2;
            Expect(TokenKind.CloseStatement, "'%}'");
            otherwise = ParseBody(position, "for", "endfor");
        }
        return new ForNode(position, target, iterable, filter, body, otherwise);
    }

    private MacroNode ParseMacro(int position)
    {
        var name = Peek();
        if (name.Kind != TokenKind.Identifier) throw Error(name.Position, "expected the macro's name");
        _current++;
        var parameters = new List<MacroParameter>();
        var seenDefault = false;
        foreach (var argument in ParseArguments())
        {
            var parameterName = argument.Name ?? (argument.Value as IdentifierNode)?.Name
                ?? throw Error(argument.Value.Position, "expected a parameter name");
            if (parameters.Any(p => p.Name == parameterName)) throw Error(argument.Value.Position, $"duplicate parameter '{parameterName}'");
            if (argument.Name is null && seenDefault) throw Error(argument.Value.Position, "a parameter without default follows one with a default");
            seenDefault |= argument.Name is not null;
            parameters.Add(new MacroParameter(parameterName, argument.Name is null ? null : argument.Value));
        }
        Expect(TokenKind.CloseStatement, "'%}'");
        var body = ParseBody(position, "macro", "endmacro");
        var special = body.SelectMany(TemplateNodes.DescendantsAndSelf).OfType<IdentifierNode>()
            .FirstOrDefault(n => n.Name is "varargs" or "kwargs" or "caller" && parameters.All(p => p.Name != n.Name));
        if (special is not null)
            throw Error(special.Position, $"'{special.Name}' inside a macro (extra arguments or call blocks) is not supported by this chat-template interpreter");
        return new MacroNode(position, name.Value, parameters, body);
    }

    private Node ParseSequence(bool primary)
    {
        var first = primary ? ParsePrimary() : ParseExpression();
        if (!Is(TokenKind.Comma)) return first;
        var items = new List<Node> { first };
        while (Is(TokenKind.Comma))
        {
            _current++;
            items.Add(primary ? ParsePrimary() : ParseExpression());
        }
        return new TupleLiteral(first.Position, items);
    }

    private Node ParseExpression()
    {
        var value = ParseOr();
        if (!IsIdentifier("if")) return value;
        _current++;
        var condition = ParseOr();
        if (!IsIdentifier("else")) return new SelectNode(value.Position, value, condition);
        _current++;
        var otherwise = ParseExpression();
        return new TernaryNode(value.Position, condition, value, otherwise);
    }

    private Node ParseOr() => ParseLeftAssociative(() => IsIdentifier("or"), ParseAnd, "or");

    private Node ParseAnd() => ParseLeftAssociative(() => IsIdentifier("and"), ParseNot, "and");

    /// <summary>
    /// One level of left-associative binary operators: operands of the next level joined while
    /// <paramref name="atOperator"/> holds, each operator spelt <paramref name="spelling"/> (null: as written).
    /// </summary>
    private Node ParseLeftAssociative(Func<bool> atOperator, Func<Node> operand, string? spelling)
    {
        var left = operand();
        while (atOperator())
        {
            var op = Peek();
            _current++;
            left = new BinaryNode(op.Position, spelling ?? op.Value, left, operand());
        }
        return left;
    }

    private Node ParseNot()
    {
        if (!IsIdentifier("not")) return ParseComparison();
        var op = Peek();
        _current++;
        return new UnaryNode(op.Position, "not", ParseNot());
    }

    private Node ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            string op;
            var at = _current < _tokens.Count ? _tokens[_current].Position : _source.Text.Length;
            if (IsIdentifier("not") && IsIdentifier("in", 1))
            {
                op = "not in";
                _current += 2;
            }
            else if (IsIdentifier("in"))
            {
                op = "in";
                _current++;
            }
            else if (Is(TokenKind.Comparison))
            {
                op = Peek().Value;
                _current++;
            }
            else return left;
            left = new BinaryNode(at, op, left, ParseAdditive());
        }
    }

    private Node ParseAdditive() => ParseLeftAssociative(() => Is(TokenKind.Additive), ParseMultiplicative, null);

    private Node ParseMultiplicative() => ParseLeftAssociative(() => Is(TokenKind.Multiplicative), ParsePower, null);

    private Node ParsePower() => ParseLeftAssociative(() => Is(TokenKind.Power), ParseTest, "**");

    private Node ParseTest()
    {
        var operand = ParseFilter();
        while (IsIdentifier("is"))
        {
            var at = Peek().Position;
            _current++;
            var negate = IsIdentifier("not");
            if (negate) _current++;
            var test = ParsePrimary();
            if (test is not IdentifierNode name) throw Error(test.Position, "expected the name of a test after 'is'");
            operand = new TestNode(at, operand, negate, name.Name);
        }
        return operand;
    }

    private Node ParseFilter()
    {
        var operand = ParseUnarySign();
        while (Is(TokenKind.Pipe))
        {
            var at = Peek().Position;
            _current++;
            var filter = ParsePrimary();
            if (filter is not IdentifierNode name) throw Error(filter.Position, "expected the name of a filter after '|'");
            List<Argument>? arguments = null;
            if (Is(TokenKind.OpenParen))
            {
                arguments = ParseArguments();
                if (Is(TokenKind.Dot) || Is(TokenKind.OpenBracket) || Is(TokenKind.OpenParen))
                    throw Error(Peek().Position, "member access or a call directly on a filter call is not supported");
            }
            operand = new FilterNode(at, operand, name.Name, arguments);
        }
        return operand;
    }

    private Node ParseUnarySign()
    {
        var token = _current < _tokens.Count ? _tokens[_current] : null;
        if (token is not null && token.Kind is TokenKind.Unary or TokenKind.Additive && token.Value is "-" or "+")
        {
            _current++;
            return new UnaryNode(token.Position, token.Value, ParseUnarySign());
        }
        var member = ParseMember(ParsePrimary());
        return Is(TokenKind.OpenParen) ? ParseCall(member) : member;
    }

    private Node ParseCall(Node callee)
    {
        Node expression = new CallNode(callee.Position, callee, ParseArguments());
        expression = ParseMember(expression);
        return Is(TokenKind.OpenParen) ? ParseCall(expression) : expression;
    }

    private List<Argument> ParseArguments()
    {
        Expect(TokenKind.OpenParen, "'('");
        var arguments = new List<Argument>();
        var sawKeyword = false;
        while (!Is(TokenKind.CloseParen))
        {
            var token = Peek();
            if (token.Kind == TokenKind.Power || (token.Kind == TokenKind.Multiplicative && token.Value == "*"))
                throw Error(token.Position, "argument unpacking ('*' / '**') is not supported");
            var value = ParseExpression();
            if (Is(TokenKind.Equals))
            {
                _current++;
                if (value is not IdentifierNode name) throw Error(value.Position, "expected a name before '=' in the argument list");
                arguments.Add(new Argument(name.Name, ParseExpression()));
                sawKeyword = true;
            }
            else
            {
                if (sawKeyword) throw Error(value.Position, "a positional argument follows a keyword argument");
                arguments.Add(new Argument(null, value));
            }
            if (Is(TokenKind.Comma)) _current++;
        }
        _current++;
        return arguments;
    }

    private Node ParseMember(Node target)
    {
        while (Is(TokenKind.Dot) || Is(TokenKind.OpenBracket))
        {
            var op = Peek();
            _current++;
            if (op.Kind == TokenKind.OpenBracket)
            {
                var property = ParseSubscript(op.Position);
                Expect(TokenKind.CloseBracket, "']'");
                target = new MemberNode(op.Position, target, property, Computed: true);
            }
            else
            {
                var property = ParsePrimary();
                if (property is not IdentifierNode and not IntegerLiteral) throw Error(property.Position, "expected a name or an integer after '.'");
                target = new MemberNode(op.Position, target, property, Computed: false);
            }
        }
        return target;
    }

    private Node ParseSubscript(int position)
    {
        var parts = new List<Node?>();
        var isSlice = false;
        while (!Is(TokenKind.CloseBracket))
        {
            if (Is(TokenKind.Colon))
            {
                parts.Add(null);
                _current++;
                isSlice = true;
            }
            else
            {
                parts.Add(ParseExpression());
                if (Is(TokenKind.Colon))
                {
                    _current++;
                    isSlice = true;
                }
            }
        }
        if (parts.Count == 0) throw Error(position, "expected an index or a slice inside '[]'");
        if (!isSlice) return parts[0]!;
        if (parts.Count > 3) throw Error(position, "a slice takes at most three parts");
        return new SliceNode(position, parts[0], parts.Count > 1 ? parts[1] : null, parts.Count > 2 ? parts[2] : null);
    }

    private Node ParsePrimary()
    {
        var token = Peek();
        _current++;
        switch (token.Kind)
        {
            case TokenKind.Number:
                if (token.Value.Contains('.'))
                    return new FloatLiteral(token.Position, double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
                if (!long.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) || Math.Abs(integer) > JsNumber.MaxSafeInteger)
                    throw Error(token.Position, $"integer literal {token.Value} is too large");
                return new IntegerLiteral(token.Position, integer);
            case TokenKind.String:
                {
                    var value = token.Value;
                    while (Is(TokenKind.String)) value += _tokens[_current++].Value;
                    return new StringLiteral(token.Position, value);
                }
            case TokenKind.Identifier:
                return new IdentifierNode(token.Position, token.Value);
            case TokenKind.OpenParen:
                {
                    var expression = ParseSequence(primary: false);
                    Expect(TokenKind.CloseParen, "')'");
                    return expression;
                }
            case TokenKind.OpenBracket:
                {
                    var items = new List<Node>();
                    while (!Is(TokenKind.CloseBracket))
                    {
                        items.Add(ParseExpression());
                        if (Is(TokenKind.Comma)) _current++;
                    }
                    _current++;
                    return new ArrayLiteral(token.Position, items);
                }
            case TokenKind.OpenBrace:
                {
                    var entries = new List<(Node, Node)>();
                    while (!Is(TokenKind.CloseBrace))
                    {
                        var key = ParseExpression();
                        Expect(TokenKind.Colon, "':' between key and value");
                        entries.Add((key, ParseExpression()));
                        if (Is(TokenKind.Comma)) _current++;
                    }
                    _current++;
                    return new DictLiteral(token.Position, entries);
                }
            default:
                throw Error(token.Position, $"unexpected {Describe(token)}");
        }
    }
}
