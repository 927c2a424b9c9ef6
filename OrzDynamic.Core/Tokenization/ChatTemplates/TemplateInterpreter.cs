namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>
/// Renders a parsed template. Scoping, loop control and output follow the reference implementation: a <c>for</c> loop
/// has one scope for all its iterations, <c>set</c> inside it does not leak out (use a namespace), output of an
/// iteration ended by <c>break</c>/<c>continue</c> is dropped, and none/undefined render as nothing.
/// </summary>
internal sealed class TemplateInterpreter
{
    private const int MaxCallDepth = 200;

    private readonly TemplateSource _source;
    private readonly string? _origin;
    private int _callDepth;

    public TemplateInterpreter(TemplateSource source, string? origin)
    {
        _source = source;
        _origin = origin;
    }

    private sealed class BreakSignal(int position) : Exception
    {
        public int Position { get; } = position;
    }

    private sealed class ContinueSignal(int position) : Exception
    {
        public int Position { get; } = position;
    }

    public string Render(List<Node> program, TemplateScope globals)
    {
        try
        {
            return RenderBlock(program, globals);
        }
        catch (BreakSignal signal)
        {
            throw Error(signal.Position, "'break' outside a for loop");
        }
        catch (ContinueSignal signal)
        {
            throw Error(signal.Position, "'continue' outside a for loop");
        }
    }

    private ChatTemplateException Error(int position, string reason)
    {
        var (line, column) = _source.Locate(position);
        return new ChatTemplateException(_origin, line, column, reason);
    }

    private string RenderBlock(List<Node> statements, TemplateScope scope)
    {
        var sb = new StringBuilder();
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case TextNode text:
                    sb.Append(text.Text);
                    break;
                case IfNode node:
                    sb.Append(RenderBlock(Evaluate(node.Test, scope).Truthy ? node.Body : node.Alternate, scope));
                    break;
                case ForNode node:
                    sb.Append(RenderFor(node, scope));
                    break;
                case SetNode node:
                    ExecuteSet(node, scope);
                    break;
                case MacroNode node:
                    DefineMacro(node, scope);
                    break;
                case CommentNode:
                    break;
                case BreakNode node:
                    throw new BreakSignal(node.Position);
                case ContinueNode node:
                    throw new ContinueSignal(node.Position);
                default:
                    {
                        var value = Evaluate(statement, scope);
                        if (value is TNull or TUndefined) break;
                        try
                        {
                            sb.Append(ValueText.Display(value));
                        }
                        catch (TemplateRuntimeError e)
                        {
                            throw Error(statement.Position, e.Message);
                        }
                        break;
                    }
            }
        }
        return sb.ToString();
    }

    private string RenderFor(ForNode node, TemplateScope outer)
    {
        var scope = new TemplateScope(outer);
        var iterable = Evaluate(node.Iterable, scope);
        var candidates = iterable switch
        {
            TArray array => array.Items,
            TObject dict => dict.Map.Keys.Select(k => (TValue)new TString(k)).ToList(),
            _ => throw Error(node.Iterable.Position, $"a for loop needs a list or a dict, not a {iterable.TypeName}"),
        };
        var items = new List<TValue>(candidates.Count);
        foreach (var candidate in candidates)
        {
            if (node.Target is TupleLiteral tuple)
            {
                if (candidate is not TArray values) throw Error(node.Target.Position, $"cannot unpack a {candidate.TypeName} into loop variables");
                if (values.Items.Count != tuple.Items.Count)
                    throw Error(node.Target.Position, $"too {(tuple.Items.Count > values.Items.Count ? "few" : "many")} items to unpack: {values.Items.Count} for {tuple.Items.Count} loop variables");
            }
            if (node.Filter is not null)
            {
                var test = new TemplateScope(scope);
                Bind(node.Target, candidate, test);
                if (!Evaluate(node.Filter, test).Truthy) continue;
            }
            items.Add(candidate);
        }

        var sb = new StringBuilder();
        var noIteration = true;
        for (var i = 0; i < items.Count; i++)
        {
            scope.Set("loop", LoopObject(i, items));
            Bind(node.Target, items[i], scope);
            try
            {
                sb.Append(RenderBlock(node.Body, scope));
            }
            catch (ContinueSignal)
            {
                continue;
            }
            catch (BreakSignal)
            {
                break;
            }
            noIteration = false;
        }
        if (noIteration) sb.Append(RenderBlock(node.Else, scope));
        return sb.ToString();
    }

    private static TObject LoopObject(int i, List<TValue> items)
    {
        var map = new OrderedMap();
        var length = items.Count;
        map.Set("index", new TInt(i + 1));
        map.Set("index0", new TInt(i));
        map.Set("revindex", new TInt(length - i));
        map.Set("revindex0", new TInt(length - i - 1));
        map.Set("first", TBool.Of(i == 0));
        map.Set("last", TBool.Of(i == length - 1));
        map.Set("length", new TInt(length));
        map.Set("previtem", i > 0 ? items[i - 1] : TUndefined.Instance);
        map.Set("nextitem", i < length - 1 ? items[i + 1] : TUndefined.Instance);
        return new TObject(map);
    }

    private void Bind(Node target, TValue value, TemplateScope scope)
    {
        if (target is IdentifierNode name)
        {
            scope.Set(name.Name, value);
            return;
        }
        var names = ((TupleLiteral)target).Items;
        var values = ((TArray)value).Items;
        for (var j = 0; j < names.Count; j++)
        {
            if (names[j] is not IdentifierNode item) throw Error(names[j].Position, "loop variables must be names");
            scope.Set(item.Name, values[j]);
        }
    }

    private void ExecuteSet(SetNode node, TemplateScope scope)
    {
        var value = node.Value is null ? new TString(RenderBlock(node.Body, scope)) : Evaluate(node.Value, scope);
        switch (node.Target)
        {
            case IdentifierNode name:
                scope.Set(name.Name, value);
                break;
            case TupleLiteral tuple:
                {
                    if (value is not TArray values) throw Error(node.Target.Position, $"cannot unpack a {value.TypeName} in set");
                    if (values.Items.Count != tuple.Items.Count)
                        throw Error(node.Target.Position, $"too {(tuple.Items.Count > values.Items.Count ? "few" : "many")} items to unpack in set");
                    for (var i = 0; i < tuple.Items.Count; i++)
                    {
                        if (tuple.Items[i] is not IdentifierNode item) throw Error(tuple.Items[i].Position, "set can unpack only into names");
                        scope.Set(item.Name, values.Items[i]);
                    }
                    break;
                }
            case MemberNode member:
                {
                    var target = Evaluate(member.Object, scope);
                    if (target is not TNamespace ns) throw Error(member.Position, $"set can assign attributes only of a namespace, not of a {target.TypeName}");
                    if (member.Computed || member.Property is not IdentifierNode property) throw Error(member.Property.Position, "set can assign only a namespace attribute by name (ns.name)");
                    ns.Map.Set(property.Name, value);
                    break;
                }
            default:
                throw Error(node.Target.Position, "set needs a name, names or a namespace attribute on the left");
        }
    }

    private void DefineMacro(MacroNode node, TemplateScope scope)
    {
        scope.Set(node.Name, new TFunction(node.Name, args =>
        {
            if (args.Positional.Count > node.Parameters.Count)
                throw new TemplateRuntimeError($"macro '{node.Name}' takes at most {node.Parameters.Count} argument(s), got {args.Positional.Count}");
            foreach (var keyword in args.Keywords.Keys)
                if (!node.Parameters.Any(p => p.Name == keyword)) throw new TemplateRuntimeError($"macro '{node.Name}' has no parameter '{keyword}'");
            var local = new TemplateScope(scope);
            var pending = new List<MacroParameter>();
            for (var i = 0; i < node.Parameters.Count; i++)
            {
                var parameter = node.Parameters[i];
                var value = args.At(i) ?? args.Keyword(parameter.Name);
                if (value is null && parameter.Default is not null) pending.Add(parameter);
                local.Set(parameter.Name, value ?? TUndefined.Instance);
            }
            foreach (var parameter in pending) local.Set(parameter.Name, Evaluate(parameter.Default!, local));
            if (++_callDepth > MaxCallDepth)
            {
                _callDepth = 0;
                throw new TemplateRuntimeError($"macro calls nested deeper than {MaxCallDepth}");
            }
            try
            {
                return new TString(RenderBlock(node.Body, local));
            }
            finally
            {
                _callDepth = Math.Max(0, _callDepth - 1);
            }
        }));
    }

    /// <summary>Evaluates an expression; a type error inside it is reported at the expression's line and column.</summary>
    private TValue Evaluate(Node node, TemplateScope scope)
    {
        try
        {
            return EvaluateCore(node, scope);
        }
        catch (TemplateRuntimeError e)
        {
            throw Error(node.Position, e.Message);
        }
        catch (TemplateRaise e)
        {
            var (line, column) = _source.Locate(node.Position);
            throw new ChatTemplateRaisedException(_origin, line, column, e.Message);
        }
    }

    private TValue EvaluateCore(Node node, TemplateScope scope)
    {
        switch (node)
        {
            case IdentifierNode id:
                return scope.Lookup(id.Name);
            case StringLiteral s:
                return new TString(s.Value);
            case IntegerLiteral i:
                return new TInt(i.Value);
            case FloatLiteral f:
                return new TFloat(f.Value);
            case BinaryNode binary:
                {
                    var left = Evaluate(binary.Left, scope);
                    if (binary.Operator == "and") return left.Truthy ? Evaluate(binary.Right, scope) : left;
                    if (binary.Operator == "or") return left.Truthy ? left : Evaluate(binary.Right, scope);
                    return TemplateOperators.Binary(binary.Operator, left, Evaluate(binary.Right, scope));
                }
            case UnaryNode unary:
                return TemplateOperators.Unary(unary.Operator, Evaluate(unary.Operand, scope));
            case MemberNode member:
                {
                    var target = Evaluate(member.Object, scope);
                    if (member.Property is SliceNode slice)
                    {
                        return TemplateMembers.Slice(target,
                            slice.Start is null ? TUndefined.Instance : Evaluate(slice.Start, scope),
                            slice.Stop is null ? TUndefined.Instance : Evaluate(slice.Stop, scope),
                            slice.Step is null ? TUndefined.Instance : Evaluate(slice.Step, scope));
                    }
                    TValue property = member.Computed ? Evaluate(member.Property, scope)
                        : member.Property is IntegerLiteral index ? new TInt(index.Value)
                        : new TString(((IdentifierNode)member.Property).Name);
                    return TemplateMembers.Get(target, property);
                }
            case CallNode call:
                {
                    var args = EvaluateArguments(call.Arguments, scope);
                    var callee = Evaluate(call.Callee, scope);
                    if (callee is not TFunction function)
                        throw new TemplateRuntimeError($"{Describe(call.Callee)} is not a function (it is {callee.TypeName})");
                    return function.Invoke(args);
                }
            case FilterNode filter:
                {
                    var operand = Evaluate(filter.Operand, scope);
                    var args = filter.Arguments is null ? null : EvaluateArguments(filter.Arguments, scope);
                    return TemplateFilters.Apply(filter.Name, operand, args);
                }
            case TestNode test:
                {
                    var operand = Evaluate(test.Operand, scope);
                    if (!TemplateTests.Exists(test.Name)) throw new TemplateRuntimeError($"unknown test '{test.Name}'");
                    var result = TemplateTests.Run(test.Name, operand);
                    return TBool.Of(test.Negate ? !result : result);
                }
            case TernaryNode ternary:
                return Evaluate(ternary.Condition, scope).Truthy ? Evaluate(ternary.WhenTrue, scope) : Evaluate(ternary.WhenFalse, scope);
            case SelectNode select:
                return Evaluate(select.Condition, scope).Truthy ? Evaluate(select.Value, scope) : TUndefined.Instance;
            case ArrayLiteral array:
                return new TArray(array.Items.Select(x => Evaluate(x, scope)).ToList());
            case TupleLiteral tuple:
                return new TArray(tuple.Items.Select(x => Evaluate(x, scope)).ToList(), isTuple: true);
            case DictLiteral dict:
                {
                    var map = new OrderedMap();
                    foreach (var (keyNode, valueNode) in dict.Entries)
                    {
                        var key = Evaluate(keyNode, scope);
                        if (key is not TString text) throw Error(keyNode.Position, $"dict keys must be strings, not {key.TypeName}");
                        map.Set(text.Value, Evaluate(valueNode, scope));
                    }
                    return new TObject(map);
                }
            case SliceNode:
                throw new TemplateRuntimeError("a slice can appear only inside []");
            default:
                throw new TemplateRuntimeError($"unexpected {node.GetType().Name} in an expression");
        }
    }

    private CallArguments EvaluateArguments(List<Argument> arguments, TemplateScope scope)
    {
        var positional = new List<TValue>();
        var keywords = new OrderedMap();
        foreach (var argument in arguments)
            if (argument.Name is null) positional.Add(Evaluate(argument.Value, scope));
        foreach (var argument in arguments)
        {
            if (argument.Name is null) continue;
            if (keywords.ContainsKey(argument.Name)) throw Error(argument.Value.Position, $"keyword argument '{argument.Name}' given twice");
            keywords.Set(argument.Name, Evaluate(argument.Value, scope));
        }
        return new CallArguments(positional, keywords);
    }

    private static string Describe(Node callee) => callee switch
    {
        IdentifierNode id => $"'{id.Name}'",
        MemberNode { Computed: false, Property: IdentifierNode p } => $"'.{p.Name}'",
        _ => "the called value",
    };
}
