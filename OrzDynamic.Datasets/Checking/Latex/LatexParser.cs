namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>
/// A recursive-descent parser for the LaTeX math found in final answers: numbers, <c>+ − · × ÷ / ^</c>, <c>\frac</c>
/// (also <c>\frac12</c> shorthand), <c>\sqrt[n]{…}</c>, <c>\pi</c>, <c>\infty</c>, functions (<c>\sin</c>, <c>\log_b</c>…),
/// <c>|x|</c>, <c>n!</c>, parentheses/brackets, tuples and intervals, implicit multiplication, variables and a top-level
/// relation (<c>=</c>, <c>\le</c>…). <c>^\circ</c> is a degree mark and is dropped. <c>a \pm b</c> is read as
/// <c>a + s·b</c> (and <c>a \mp b</c> as <c>a − s·b</c>) with s a formal sign, so two ± answers are equal when they have the
/// same structure up to algebra. Text-mode and set/matrix constructs (<c>\text</c>, <c>\begin</c>, <c>\cup</c>…) are
/// rejected: such answers are compared as strings.
/// </summary>
/// <remarks>Inputs are bounded by <see cref="MaxInputLength"/> and nesting by <see cref="MaxDepth"/>, so parsing is linear and cannot hang.</remarks>
internal sealed class LatexParser
{
    /// <summary>Longest input accepted (longer strings are rejected, not parsed).</summary>
    public const int MaxInputLength = 2000;

    /// <summary>Deepest recursion accepted (each bracket level uses about three, so roughly 100 nested brackets).</summary>
    public const int MaxDepth = 300;

    private static readonly HashSet<string> Functions = new(StringComparer.Ordinal)
    {
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "ln", "log", "exp",
    };

    private static readonly HashSet<string> Rejected = new(StringComparer.Ordinal)
    {
        "text", "textbf", "textit", "mbox", "mathrm", "mathbf", "mathit", "operatorname", "boxed", "fbox", "hbox", "begin", "end",
        "cup", "cap", "in", "notin", "setminus", "emptyset", "varnothing", "subset", "subseteq", "dots", "ldots",
        "cdots", "vdots", "ddots", "to", "rightarrow", "Rightarrow", "implies", "iff", "land", "lor", "lnot", "neg", "wedge",
        "vee", "forall", "exists", "mid", "nmid", "equiv", "approx", "sim", "cong", "parallel", "perp", "angle", "triangle",
        "overline", "underline", "hat", "vec", "bar", "tilde", "dot", "ddot", "binom", "dbinom", "tbinom", "choose", "sum",
        "prod", "int", "lim", "max", "min", "gcd", "lcm", "mod", "bmod", "pmod", "deg", "det", "dim", "ker", "frak", "mathbb",
        "mathcal", "lfloor", "rfloor", "lceil", "rceil", "langle", "rangle", "prime", "percent", "dollar", "textdollar",
    };

    private static readonly Dictionary<string, string> RelationCommands = new(StringComparer.Ordinal)
    {
        ["le"] = "<=", ["leq"] = "<=", ["leqslant"] = "<=", ["ge"] = ">=", ["geq"] = ">=", ["geqslant"] = ">=",
        ["ne"] = "!=", ["neq"] = "!=", ["lt"] = "<", ["gt"] = ">",
    };

    /// <summary>Commands the free-form dialect accepts although <see cref="Rejected"/> lists them.</summary>
    private static readonly HashSet<string> FreeFormCommands = new(StringComparer.Ordinal)
    {
        "cup", "in", "emptyset", "varnothing", "begin", "end", "approx", "binom", "dbinom", "tbinom",
    };

    private static readonly HashSet<string> MatrixEnvironments = new(StringComparer.Ordinal)
    {
        "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix", "matrix", "smallmatrix",
    };

    private readonly string _source;
    private readonly LatexDialect _dialect;
    private readonly List<LatexToken> _tokens;
    private readonly CancellationToken _ct;
    private int _pos;
    private int _depth;

    private LatexParser(string source, LatexDialect dialect, CancellationToken ct)
    {
        _source = source;
        _dialect = dialect;
        _tokens = LatexLexer.Tokenize(source, dialect);
        _ct = ct;
    }

    private bool FreeForm => _dialect == LatexDialect.FreeForm;

    /// <summary>Parses <paramref name="source"/>.</summary>
    /// <exception cref="LatexParseException">When the input is not supported math.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static MathExpression Parse(string source, CancellationToken cancellationToken = default, LatexDialect dialect = LatexDialect.Orz)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length > MaxInputLength) throw new LatexParseException($"input longer than {MaxInputLength} characters", source, MaxInputLength);
        var parser = new LatexParser(source, dialect, cancellationToken);
        var result = parser.ParseTop();
        if (parser.Current.Kind != LatexTokenKind.End) throw parser.Error("unexpected token '" + parser.Current.Text + "'");
        return result;
    }

    /// <summary>Parses <paramref name="source"/>, returning null instead of throwing when it is not supported math.</summary>
    public static MathExpression? TryParse(string source, CancellationToken cancellationToken = default, LatexDialect dialect = LatexDialect.Orz)
    {
        try { return Parse(source, cancellationToken, dialect); }
        catch (LatexParseException) { return null; }
    }

    private LatexToken Current => _tokens[_pos];

    private LatexParseException Error(string message) => new(message, _source, Current.Position);

    private LatexToken Advance() => _tokens[_pos++];

    private void Expect(char symbol)
    {
        if (!Current.IsSymbol(symbol)) throw Error($"expected '{symbol}'");
        _pos++;
    }

    private void Enter()
    {
        _ct.ThrowIfCancellationRequested();
        if (++_depth > MaxDepth) throw Error("nesting too deep");
    }

    private void Leave() => _depth--;

    private MathExpression ParseTop()
    {
        if (Current.Kind == LatexTokenKind.End) throw Error("empty expression");
        return ParseJoined(() => Current.IsSymbol(','), ParseRelation, items => new TupleExpression(items, '\0', '\0'));
    }

    /// <summary>
    /// One <paramref name="item"/>, or several separated by the token <paramref name="atSeparator"/> recognises,
    /// made into one expression by <paramref name="join"/>.
    /// </summary>
    private MathExpression ParseJoined(Func<bool> atSeparator, Func<MathExpression> item, Func<List<MathExpression>, MathExpression> join)
    {
        var first = item();
        if (!atSeparator()) return first;
        var items = new List<MathExpression> { first };
        while (atSeparator())
        {
            _pos++;
            items.Add(item());
        }
        return join(items);
    }

    private string? CurrentRelation()
    {
        var t = Current;
        if (t.Kind == LatexTokenKind.Symbol)
        {
            if (t.Text == "=") return "=";
            if (FreeForm && t.Text == "!" && _tokens[_pos + 1].IsSymbol('=')) return "!=";
            if (t.Text is "<" or ">")
            {
                bool orEqual = _tokens[_pos + 1].IsSymbol('=');
                return t.Text + (orEqual ? "=" : "");
            }
        }
        if (t.Kind == LatexTokenKind.Command && RelationCommands.TryGetValue(t.Text, out var op)) return op;
        if (FreeForm && t.Kind == LatexTokenKind.Command && t.Text is "approx" or "in") return t.Text == "in" ? "in" : "≈";
        return null;
    }

    private MathExpression ParseRelation()
    {
        if (FreeForm) return ParseRelationChain();
        var left = ParseExpression();
        var op = CurrentRelation();
        if (op is null) return left;
        _pos += op is "<=" or ">=" && Current.Kind == LatexTokenKind.Symbol ? 2 : 1;
        var right = ParseExpression();
        if (CurrentRelation() is not null) throw Error("chained relations are not supported");
        Scalar(left); Scalar(right);
        return new RelationExpression(op, left, right);
    }

    /// <summary>Free-form relations: any number of links; sides may be tuples, sets, unions or matrices.</summary>
    private MathExpression ParseRelationChain()
    {
        var operands = new List<MathExpression> { ParseUnion() };
        var operators = new List<string>();
        while (CurrentRelation() is { } op)
        {
            _pos += op is "<=" or ">=" or "!=" && Current.Kind == LatexTokenKind.Symbol ? 2 : 1;
            operators.Add(op);
            operands.Add(ParseUnion());
        }
        if (operators.Count == 0) return operands[0];
        if (operators.Count == 1) return new RelationExpression(operators[0], operands[0], operands[1]);
        return new ChainExpression(operands, operators);
    }

    private MathExpression ParseUnion() => ParseJoined(() => Current.IsCommand("cup"), ParseExpression, parts => new UnionExpression(parts));

    /// <summary>s·<paramref name="e"/> with s the formal sign of <c>\pm</c>.</summary>
    private MathExpression Signed(MathExpression e) => new BinaryExpression(BinaryOperator.Multiply, new PlusMinusSignExpression(), Scalar(e));

    private MathExpression Scalar(MathExpression e)
    {
        if (e is TupleExpression or RelationExpression or ChainExpression or UnionExpression) throw Error("arithmetic on a tuple or relation");
        return e;
    }

    /// <summary>An operand of + − · /: a scalar, or in the free-form dialect also a matrix (sums and multiples of matrices).</summary>
    private MathExpression Operand(MathExpression e) => FreeForm && e is MatrixExpression ? e : Scalar(e);

    private MathExpression ParseExpression()
    {
        Enter();
        var left = ParseTerm();
        while (true)
        {
            if (Current.IsSymbol('+') || Current.IsSymbol('-'))
            {
                var op = Advance().Text == "+" ? BinaryOperator.Add : BinaryOperator.Subtract;
                var right = ParseTerm();
                left = new BinaryExpression(op, Operand(left), Operand(right));
            }
            else if (Current.IsCommand("pm") || Current.IsCommand("mp"))
            {
                // a ± b is a + s·b and a ∓ b is a − s·b, with s the formal sign (compared like a variable).
                var op = Advance().Text == "pm" ? BinaryOperator.Add : BinaryOperator.Subtract;
                var right = ParseTerm();
                left = new BinaryExpression(op, Scalar(left), Signed(right));
            }
            else break;
        }
        Leave();
        return left;
    }

    private MathExpression ParseTerm()
    {
        var left = ParseUnary();
        while (true)
        {
            BinaryOperator op;
            if (Current.IsSymbol('*') || Current.IsCommand("cdot") || Current.IsCommand("times") || Current.IsCommand("ast")) op = BinaryOperator.Multiply;
            else if (Current.IsSymbol('/') || Current.IsCommand("div")) op = BinaryOperator.Divide;
            else break;
            _pos++;
            var right = ParseUnary();
            left = new BinaryExpression(op, Operand(left), Operand(right));
        }
        return left;
    }

    private MathExpression ParseUnary()
    {
        Enter();
        MathExpression result;
        if (Current.IsSymbol('-')) { _pos++; result = new NegateExpression(Operand(ParseUnary())); }
        else if (Current.IsSymbol('+')) { _pos++; result = Scalar(ParseUnary()); }
        else if (Current.IsCommand("pm")) { _pos++; result = Signed(ParseUnary()); }
        else if (Current.IsCommand("mp")) { _pos++; result = new NegateExpression(Signed(ParseUnary())); }
        else result = ParseImplicitProduct();
        Leave();
        return result;
    }

    private bool StartsPrimary()
    {
        var t = Current;
        return t.Kind switch
        {
            LatexTokenKind.Number or LatexTokenKind.Letter => true,
            LatexTokenKind.Command => t.Text is not ("cdot" or "times" or "div" or "ast" or "circ" or "pm" or "mp" or "end" or "cup" or "in" or "approx") && !RelationCommands.ContainsKey(t.Text),
            LatexTokenKind.Symbol => t.Text is "(" or "[" or "{" || (FreeForm && t.Text == "\\{"),
            _ => false,
        };
    }

    private MathExpression ParseImplicitProduct(bool stopAtFunction = false)
    {
        var left = ParsePostfix();
        while (StartsPrimary() && !(stopAtFunction && Current.Kind == LatexTokenKind.Command && Functions.Contains(Current.Text)))
        {
            var right = ParsePostfix();
            left = new BinaryExpression(BinaryOperator.Multiply, Operand(left), Operand(right));
        }
        return left;
    }

    private MathExpression ParsePostfix()
    {
        var e = ParsePrimary();
        while (true)
        {
            if (Current.IsSymbol('^'))
            {
                _pos++;
                if (Current.IsCommand("circ")) { _pos++; Scalar(e); continue; }          // degree mark
                if (Current.IsSymbol('{') && _tokens[_pos + 1].IsCommand("circ") && _tokens[_pos + 2].IsSymbol('}'))
                {
                    _pos += 3; Scalar(e); continue;
                }
                var exponent = ParseScriptArgument();
                e = new BinaryExpression(BinaryOperator.Power, Scalar(e), Scalar(exponent));
            }
            else if (Current.IsSymbol('!') && !(FreeForm && _tokens[_pos + 1].IsSymbol('=')))
            {
                _pos++;
                e = new FunctionExpression("factorial", Scalar(e));
            }
            else return e;
        }
    }

    /// <summary>A braced group, or a single digit/letter/command (TeX takes one token as argument).</summary>
    private MathExpression ParseScriptArgument()
    {
        var t = Current;
        if (t.IsSymbol('{'))
        {
            _pos++;
            var inner = ParseExpression();
            Expect('}');
            return inner;
        }
        if (t.Kind == LatexTokenKind.Number)
        {
            if (t.Text.Length > 1 && t.Text[0] != '.')
                _tokens[_pos] = new LatexToken(LatexTokenKind.Number, t.Text[1..], t.Position + 1);
            else _pos++;
            return new NumberExpression(double.Parse(t.Text[..1] == "." ? t.Text : t.Text[..1], System.Globalization.CultureInfo.InvariantCulture));
        }
        if (t.Kind == LatexTokenKind.Letter) { _pos++; return new VariableExpression(t.Text); }
        if (t.Kind == LatexTokenKind.Command) return ParsePrimary();
        throw Error("expected an argument");
    }

    private MathExpression ParsePrimary()
    {
        Enter();
        try
        {
            var t = Current;
            switch (t.Kind)
            {
                case LatexTokenKind.Number:
                    _pos++;
                    return new NumberExpression(double.Parse(t.Text, System.Globalization.CultureInfo.InvariantCulture)) { Text = t.Text };
                case LatexTokenKind.Letter:
                {
                    _pos++;
                    var subscript = ParseSubscriptName();
                    if (FreeForm && subscript.Length == 0 && t.Text is "e" or "i") return new ConstantExpression(t.Text);
                    return new VariableExpression(t.Text + subscript);
                }
                case LatexTokenKind.Symbol when FreeForm && t.Text == "\\{":
                    return ParseSetBraces();
                case LatexTokenKind.Symbol when t.Text is "(" or "[":
                    return ParseGroup();
                case LatexTokenKind.Symbol when t.Text == "{":
                {
                    _pos++;
                    var inner = ParseRelation();
                    Expect('}');
                    return inner;
                }
                case LatexTokenKind.Symbol when t.Text == "|":
                {
                    _pos++;
                    var inner = ParseExpression();
                    Expect('|');
                    return new FunctionExpression("abs", Scalar(inner));
                }
                case LatexTokenKind.Command:
                    return ParseCommand();
                default:
                    throw Error(t.Kind == LatexTokenKind.End ? "unexpected end of input" : $"unexpected '{t.Text}'");
            }
        }
        finally { Leave(); }
    }

    private string ParseSubscriptName()
    {
        if (!Current.IsSymbol('_')) return string.Empty;
        _pos++;
        if (Current.IsSymbol('{'))
        {
            _pos++;
            var sb = new System.Text.StringBuilder("_{");
            int guard = 0;
            while (!Current.IsSymbol('}'))
            {
                if (Current.Kind == LatexTokenKind.End || ++guard > 50 || Current.IsSymbol('{')) throw Error("bad subscript");
                sb.Append(Advance().Text);
            }
            _pos++;
            return sb.Append('}').ToString();
        }
        if (Current.Kind is LatexTokenKind.Number or LatexTokenKind.Letter or LatexTokenKind.Command)
        {
            var t = Current;
            if (t.Kind == LatexTokenKind.Number && t.Text.Length > 1)
            {
                _tokens[_pos] = new LatexToken(LatexTokenKind.Number, t.Text[1..], t.Position + 1);
                return "_{" + t.Text[0] + "}";
            }
            _pos++;
            return "_{" + t.Text + "}";
        }
        throw Error("bad subscript");
    }

    private MathExpression ParseGroup()
    {
        char open = Advance().Text[0];
        var items = new List<MathExpression> { ParseExpression() };
        while (Current.IsSymbol(','))
        {
            _pos++;
            items.Add(ParseExpression());
        }
        if (!(Current.IsSymbol(')') || Current.IsSymbol(']'))) throw Error("expected ')' or ']'");
        char close = Advance().Text[0];
        if (items.Count == 1)
        {
            bool matched = (open == '(' && close == ')') || (open == '[' && close == ']');
            if (!matched) throw Error("mismatched brackets around a single value");
            if (items[0] is TupleExpression) return new TupleExpression(items, open, close);
            return items[0];
        }
        return new TupleExpression(items, open, close);
    }

    private MathExpression ParseCommand()
    {
        var t = Advance();
        var name = t.Text;
        switch (name)
        {
            case "frac" or "dfrac" or "tfrac" or "cfrac":
            {
                var num = Scalar(ParseScriptArgument());
                var den = Scalar(ParseScriptArgument());
                return new BinaryExpression(BinaryOperator.Divide, num, den);
            }
            case "sqrt":
            {
                MathExpression? index = null;
                if (Current.IsSymbol('['))
                {
                    _pos++;
                    index = Scalar(ParseExpression());
                    Expect(']');
                }
                var radicand = Scalar(ParseScriptArgument());
                return new RootExpression(radicand, index);
            }
            case "pi": return new ConstantExpression("pi");
            case "emptyset" or "varnothing" when FreeForm: return new TupleExpression([], '{', '}');
            case "begin" when FreeForm: return ParseMatrix(t);
            case "binom" or "dbinom" or "tbinom" when FreeForm:
            {
                // C(n, k) = n! / (k! (n − k)!)
                var n = Scalar(ParseScriptArgument());
                var k = Scalar(ParseScriptArgument());
                var denominator = new BinaryExpression(BinaryOperator.Multiply, new FunctionExpression("factorial", k),
                    new FunctionExpression("factorial", new BinaryExpression(BinaryOperator.Subtract, n, k)));
                return new BinaryExpression(BinaryOperator.Divide, new FunctionExpression("factorial", n), denominator);
            }
            case "infty" or "infin": return new ConstantExpression("infty");
            case "circ": throw new LatexParseException("\\circ outside an exponent", _source, t.Position);
        }
        if (Functions.Contains(name)) return ParseFunction(name);
        if ((Rejected.Contains(name) && !(FreeForm && FreeFormCommands.Contains(name))) || RelationCommands.ContainsKey(name) || name is "cdot" or "times" or "div" or "ast" or "pm" or "mp")
            throw new LatexParseException($"\\{name} is not supported math", _source, t.Position);
        // Any other control word (Greek letters, \ell, …) is a named variable, as in sympy's LaTeX parser.
        return new VariableExpression("\\" + name + ParseSubscriptName());
    }

    /// <summary><c>\{ a, b, … \}</c> (already at <c>\{</c>): a set, kept as a tuple with '{' delimiters.</summary>
    private MathExpression ParseSetBraces()
    {
        _pos++;
        var items = new List<MathExpression>();
        if (!Current.IsSymbolText("\\}"))
        {
            items.Add(ParseRelation());
            while (Current.IsSymbol(','))
            {
                _pos++;
                items.Add(ParseRelation());
            }
        }
        if (!Current.IsSymbolText("\\}")) throw Error("expected '\\}'");
        _pos++;
        return new TupleExpression(items, '{', '}');
    }

    /// <summary><c>\begin{env} a &amp; b \\ c &amp; d \end{env}</c> for a matrix environment.</summary>
    private MathExpression ParseMatrix(LatexToken begin)
    {
        var env = ParseEnvironmentName();
        if (!MatrixEnvironments.Contains(env)) throw new LatexParseException($"environment {env} is not a matrix", _source, begin.Position);
        var rows = new List<IReadOnlyList<MathExpression>>();
        var row = new List<MathExpression>();
        while (true)
        {
            _ct.ThrowIfCancellationRequested();
            if (Current.IsCommand("end"))
            {
                _pos++;
                if (ParseEnvironmentName() != env) throw Error("mismatched \\end");
                if (row.Count > 0) rows.Add(row);
                break;
            }
            if (Current.IsSymbolText("\\\\"))
            {
                _pos++;
                if (row.Count > 0) rows.Add(row);
                row = new List<MathExpression>();
                continue;
            }
            row.Add(Scalar(ParseExpression()));
            if (Current.IsSymbol('&')) _pos++;
            else if (!Current.IsSymbolText("\\\\") && !Current.IsCommand("end")) throw Error("expected '&', '\\\\' or \\end");
        }
        if (rows.Count == 0 || rows.Any(r => r.Count != rows[0].Count)) throw Error("ragged or empty matrix");
        return new MatrixExpression(rows, env);
    }

    private string ParseEnvironmentName()
    {
        Expect('{');
        var sb = new System.Text.StringBuilder();
        while (Current.Kind == LatexTokenKind.Letter)
        {
            sb.Append(Advance().Text);
            if (sb.Length > 20) throw Error("environment name too long");
        }
        Expect('}');
        return sb.ToString();
    }

    private MathExpression ParseFunction(string name)
    {
        MathExpression? power = null, logBase = null;
        for (int i = 0; i < 2; i++)
        {
            if (Current.IsSymbol('^') && power is null) { _pos++; power = Scalar(ParseScriptArgument()); }
            else if (Current.IsSymbol('_') && logBase is null && name == "log") { _pos++; logBase = Scalar(ParseScriptArgument()); }
        }
        MathExpression argument;
        if (Current.IsSymbol('(') || Current.IsSymbol('[') || Current.IsSymbol('{')) argument = Scalar(ParsePostfix());
        else argument = Scalar(ParseImplicitProduct(stopAtFunction: FreeForm)); // \sin x \cos x is sin(x)·cos(x)
        MathExpression result = new FunctionExpression(name, argument, logBase);
        if (power is not null)
        {
            // \sin^{-1} x is the inverse function; other powers apply to the value.
            if (power is NegateExpression { Operand: NumberExpression { Value: 1 } } && name is "sin" or "cos" or "tan")
                return new FunctionExpression("arc" + name, argument);
            result = new BinaryExpression(BinaryOperator.Power, result, power);
        }
        return result;
    }
}
