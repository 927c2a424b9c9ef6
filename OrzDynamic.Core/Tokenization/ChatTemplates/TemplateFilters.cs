namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>
/// The filters of <c>value | name</c> and <c>value | name(args)</c>, dispatched on the value's type as the reference
/// implementation does: a filter it does not define for a type (e.g. <c>|trim</c> on a list, or <c>|trim()</c> with
/// parentheses) is an error, never a silent pass-through.
/// </summary>
internal static class TemplateFilters
{
    /// <summary>Applies filter <paramref name="name"/>; <paramref name="args"/> is null for the form without parentheses.</summary>
    public static TValue Apply(string name, TValue operand, CallArguments? args) =>
        args is null ? ApplyBare(name, operand) : ApplyCall(name, operand, args);

    private static TemplateRuntimeError Unknown(string name, TValue operand, bool call) =>
        new($"filter '{name}'{(call ? "(...)" : "")} is not supported for a {operand.TypeName}");

    private static TValue ApplyBare(string name, TValue operand)
    {
        if (name == "safe") return operand;
        if (name == "tojson") return new TString(ValueText.Json(operand, ValueText.JsonOptions.Default, 0, undefinedAsNull: true));
        switch (operand)
        {
            case TArray array:
                return name switch
                {
                    "list" => operand,
                    "first" => array.Items.Count > 0 ? array.Items[0] : TUndefined.Instance,
                    "last" => array.Items.Count > 0 ? array.Items[^1] : TUndefined.Instance,
                    "length" => new TInt(array.Items.Count),
                    "reverse" => new TArray(Enumerable.Reverse(array.Items).ToList()),
                    "sort" => new TArray(StableSort(array.Items, (a, b) => ValueCompare.SortCompare(a, b, caseSensitive: false))),
                    "join" => new TString(string.Concat(array.Items.Select(ValueText.JoinItem))),
                    "string" => new TString(ValueText.Json(operand, ValueText.JsonOptions.Default, 0, undefinedAsNull: false)),
                    "unique" => new TArray(Unique(array.Items)),
                    _ => throw Unknown(name, operand, false),
                };
            case TString s:
                return name switch
                {
                    "length" => new TInt(s.Value.Length),
                    "upper" => new TString(JsText.Upper(s.Value)),
                    "lower" => new TString(JsText.Lower(s.Value)),
                    "title" => new TString(JsText.Title(s.Value)),
                    "capitalize" => new TString(s.Value.Length == 0 ? s.Value : JsText.Upper(s.Value[..1]) + s.Value[1..]),
                    "trim" => new TString(JsText.Trim(s.Value)),
                    "indent" => new TString(Indent(s.Value, "    ", first: false, blank: false)),
                    "join" or "string" => operand,
                    "int" => JsNumber.ParseInt(s.Value) is { } i ? IntOf(i) : new TInt(0),
                    "float" => new TFloat(JsNumber.ParseFloat(s.Value) ?? 0.0),
                    _ => throw Unknown(name, operand, false),
                };
            case TInt or TFloat:
                return name switch
                {
                    "abs" => operand is TInt ai ? new TInt(Math.Abs(ai.Value)) : new TFloat(Math.Abs(((TFloat)operand).Value)),
                    "int" => operand is TInt ? operand : IntOf(Math.Truncate(((TFloat)operand).Value)),
                    "float" => new TFloat(ValueCompare.NumberOf(operand)),
                    "string" => new TString(ValueText.Display(operand)),
                    _ => throw Unknown(name, operand, false),
                };
            case TObject dict:
                return name switch
                {
                    "items" => TemplateMembers.Items(dict),
                    "length" => new TInt(dict.Map.Count),
                    "keys" or "values" => ((TFunction)TemplateMembers.Get(dict, new TString(name))).Invoke(CallArguments.Of()),
                    _ => throw Unknown(name, operand, false),
                };
            case TBool b:
                return name switch
                {
                    "bool" => operand,
                    "int" => new TInt(b.Value ? 1 : 0),
                    "float" => new TFloat(b.Value ? 1 : 0),
                    "string" => new TString(b.Value ? "true" : "false"),
                    _ => throw Unknown(name, operand, false),
                };
            default:
                throw Unknown(name, operand, false);
        }
    }

    private static TValue ApplyCall(string name, TValue operand, CallArguments args)
    {
        switch (name)
        {
            case "tojson":
                return new TString(ValueText.Json(operand, JsonOptionsOf(args), 0, undefinedAsNull: true));
            case "join":
                {
                    var separator = args.At(0) ?? args.Keyword("separator") ?? TString.Empty;
                    if (separator is not TString sep) throw new TemplateRuntimeError("join() separator must be a string");
                    return operand switch
                    {
                        TString s => new TString(string.Join(sep.Value, JsText.CodePoints(s.Value))),
                        TArray a => new TString(string.Join(sep.Value, a.Items.Select(ValueText.JoinItem))),
                        _ => throw Unknown(name, operand, true),
                    };
                }
            case "int" or "float":
                {
                    var fallback = args.At(0) ?? args.Keyword("default") ?? (name == "int" ? new TInt(0) : new TFloat(0));
                    switch (operand)
                    {
                        case TString s:
                            if (name == "int") return JsNumber.ParseInt(s.Value) is { } i ? IntOf(i) : fallback;
                            return JsNumber.ParseFloat(s.Value) is { } f ? new TFloat(f) : fallback;
                        case TInt or TFloat:
                            return name == "int" ? (operand is TInt ? operand : IntOf(Math.Truncate(((TFloat)operand).Value))) : new TFloat(ValueCompare.NumberOf(operand));
                        case TBool b:
                            return name == "int" ? new TInt(b.Value ? 1 : 0) : new TFloat(b.Value ? 1 : 0);
                        default:
                            throw Unknown(name, operand, true);
                    }
                }
            case "default":
                {
                    var fallback = args.At(0) ?? TString.Empty;
                    var boolean = args.At(1) ?? args.Keyword("boolean") ?? TBool.False;
                    if (boolean is not TBool flag) throw new TemplateRuntimeError("default() flag must be a boolean");
                    return operand is TUndefined || (flag.Value && !operand.Truthy) ? fallback : operand;
                }
        }
        switch (operand)
        {
            case TArray array when name == "sort":
                return new TArray(Sort(array, args));
            case TArray array when name is "selectattr" or "rejectattr":
                return new TArray(SelectAttribute(array, args, name == "selectattr"));
            case TArray array when name == "map":
                return new TArray(MapAttribute(array, args));
            case TString s when name == "indent":
                {
                    var width = args.At(0) ?? args.Keyword("width") ?? new TInt(4);
                    var prefix = width switch
                    {
                        TInt w => new string(' ', (int)Math.Max(0, Math.Min(w.Value, 10_000))),
                        TString text => text.Value,
                        _ => throw new TemplateRuntimeError("indent() width must be an integer or a string"),
                    };
                    var first = args.At(1) ?? args.Keyword("first") ?? TBool.False;
                    var blank = args.At(2) ?? args.Keyword("blank") ?? TBool.False;
                    return new TString(Indent(s.Value, prefix, RawTruthy(first), RawTruthy(blank)));
                }
            case TString s when name == "replace":
                return TemplateMembers.Replace(s.Value, args);
            case TObject dict when name is "get" or "items" or "keys" or "values":
                return ((TFunction)TemplateMembers.Get(dict, new TString(name))).Invoke(args);
            default:
                throw Unknown(name, operand, true);
        }
    }

    private static bool RawTruthy(TValue v) => v is TArray or TObject or TNamespace or TFunction || v.Truthy;

    private static TInt IntOf(double value) =>
        Math.Abs(value) <= JsNumber.MaxSafeInteger ? new TInt((long)value) : throw new TemplateRuntimeError("integer beyond ±2^53");

    private static string Indent(string text, string prefix, bool first, bool blank)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
            if (!((!first && i == 0) || (!blank && lines[i].Length == 0))) lines[i] = prefix + lines[i];
        return string.Join("\n", lines);
    }

    private static ValueText.JsonOptions JsonOptionsOf(CallArguments args)
    {
        var indent = args.Keyword("indent") ?? TNull.Instance;
        if (indent is not (TInt or TNull)) throw new TemplateRuntimeError("tojson indent must be an integer");
        var ensureAscii = args.Keyword("ensure_ascii") ?? TBool.False;
        if (ensureAscii is not TBool ascii) throw new TemplateRuntimeError("tojson ensure_ascii must be a boolean");
        var sortKeys = args.Keyword("sort_keys") ?? TBool.False;
        if (sortKeys is not TBool sort) throw new TemplateRuntimeError("tojson sort_keys must be a boolean");
        (string, string)? separators = null;
        switch (args.Keyword("separators") ?? TNull.Instance)
        {
            case TArray { Items: [TString item, TString key] }:
                separators = (item.Value, key.Value);
                break;
            case TNull:
                break;
            default:
                throw new TemplateRuntimeError("tojson separators must be a pair of strings");
        }
        return new ValueText.JsonOptions(indent is TInt i ? (int)Math.Min(i.Value, 1000) : null, ascii.Value, separators, sort.Value);
    }

    private static List<TValue> Unique(List<TValue> items)
    {
        var output = new List<TValue>();
        foreach (var item in items)
            if (!output.Any(seen => SameValueZero(seen, item))) output.Add(item);
        return output;
    }

    private static bool SameValueZero(TValue a, TValue b) =>
        ValueCompare.StrictEquals(a, b) || (a is TFloat { Value: double.NaN } && b is TFloat { Value: double.NaN });

    /// <summary>A stable sort (like JavaScript's Array.prototype.sort) that lets comparison errors through unchanged.</summary>
    private static List<TValue> StableSort(List<TValue> items, Func<TValue, TValue, int> compare)
    {
        var result = new List<TValue>(items.Count);
        foreach (var item in items)
        {
            var at = result.Count;
            while (at > 0 && compare(result[at - 1], item) > 0) at--;
            result.Insert(at, item);
        }
        return result;
    }

    private static List<TValue> Sort(TArray array, CallArguments args)
    {
        var reverse = args.At(0) ?? args.Keyword("reverse") ?? TBool.False;
        if (reverse is not TBool descending) throw new TemplateRuntimeError("sort() reverse must be a boolean");
        var caseSensitive = args.At(1) ?? args.Keyword("case_sensitive") ?? TBool.False;
        if (caseSensitive is not TBool sensitive) throw new TemplateRuntimeError("sort() case_sensitive must be a boolean");
        var attribute = args.At(2) ?? args.Keyword("attribute") ?? TNull.Instance;
        string? path = attribute switch
        {
            TString s => s.Value,
            TInt i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TNull => null,
            _ => throw new TemplateRuntimeError("sort() attribute must be a string, an integer or none"),
        };
        TValue Key(TValue item) => path is null ? item : AttributePath(item, path);
        return StableSort(array.Items, (a, b) =>
        {
            var result = ValueCompare.SortCompare(Key(a), Key(b), sensitive.Value);
            return descending.Value ? -result : result;
        });
    }

    /// <summary>Follows a dotted path ("a.b", "items.0") through dicts, namespaces and lists; undefined when missing.</summary>
    private static TValue AttributePath(TValue item, string path)
    {
        var value = item;
        foreach (var part in path.Split('.'))
        {
            switch (value)
            {
                case TObject o:
                    value = o.Map.TryGet(part, out var v) ? v : TUndefined.Instance;
                    break;
                case TNamespace n:
                    value = n.Map.TryGet(part, out var w) ? w : TUndefined.Instance;
                    break;
                case TArray a:
                    var parsed = JsNumber.ParseInt(part);
                    if (parsed is not { } index || index < 0 || index >= a.Items.Count) return TUndefined.Instance;
                    value = a.Items[(int)index];
                    break;
                default:
                    return TUndefined.Instance;
            }
        }
        return value;
    }

    private static List<TValue> SelectAttribute(TArray array, CallArguments args, bool select)
    {
        var name = select ? "selectattr" : "rejectattr";
        if (array.Items.Any(x => x is not (TObject or TNamespace))) throw new TemplateRuntimeError($"{name} applies only to a list of dicts");
        if (args.Keywords.Count > 0 || args.Positional.Any(x => x is not TString)) throw new TemplateRuntimeError($"the arguments of {name} must be strings");
        if (args.At(0) is not TString attribute) throw new TemplateRuntimeError($"{name} needs an attribute name");
        var test = (args.At(1) as TString)?.Value;
        if (test is not null && !TemplateTests.Exists(test)) throw new TemplateRuntimeError($"unknown test '{test}'");
        var argument = args.At(2);
        return array.Items.Where(item =>
        {
            var map = item is TObject o ? o.Map : ((TNamespace)item).Map;
            var result = map.TryGet(attribute.Value, out var value) && (test is null ? value.Truthy : TemplateTests.Run(test, value, argument ?? TUndefined.Instance));
            return select ? result : !result;
        }).ToList();
    }

    private static List<TValue> MapAttribute(TArray array, CallArguments args)
    {
        if (args.Keyword("attribute") is not { } attributeValue) throw new TemplateRuntimeError("map() is supported only with attribute=...");
        if (attributeValue is not TString attribute) throw new TemplateRuntimeError("map() attribute must be a string");
        var fallback = args.Keyword("default");
        return array.Items.Select(item =>
        {
            if (item is not (TObject or TNamespace)) throw new TemplateRuntimeError("map(attribute=...) applies only to a list of dicts");
            var value = AttributePath(item, attribute.Value);
            return value is TUndefined ? fallback ?? TUndefined.Instance : value;
        }).ToList();
    }
}
