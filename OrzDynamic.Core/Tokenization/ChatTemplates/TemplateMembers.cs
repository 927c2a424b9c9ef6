namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Attribute and item access (<c>a.b</c>, <c>a[i]</c>, slices) and the methods of strings, lists and dicts.</summary>
internal static class TemplateMembers
{
    public static TValue Get(TValue target, TValue property)
    {
        switch (target)
        {
            case TObject or TNamespace:
                {
                    if (property is not TString key) throw new TemplateRuntimeError($"a {target.TypeName} key must be a string, not {property.TypeName}");
                    var map = target is TObject o ? o.Map : ((TNamespace)target).Map;
                    if (map.TryGet(key.Value, out var value)) return value;
                    return target is TObject dict ? DictMethod(dict, key.Value) ?? TUndefined.Instance : TUndefined.Instance;
                }
            case TArray or TString:
                if (property is TInt index)
                {
                    if (target is TString s)
                    {
                        var i = index.Value < 0 ? s.Value.Length + index.Value : index.Value;
                        return i >= 0 && i < s.Value.Length ? new TString(s.Value[(int)i].ToString()) : TUndefined.Instance;
                    }
                    var items = ((TArray)target).Items;
                    var j = index.Value < 0 ? items.Count + index.Value : index.Value;
                    return j >= 0 && j < items.Count ? items[(int)j] : TUndefined.Instance;
                }
                if (property is TString name)
                    return target is TString str ? StringMethod(str.Value, name.Value) ?? TUndefined.Instance
                        : name.Value == "length" ? new TInt(((TArray)target).Items.Count) : TUndefined.Instance;
                throw new TemplateRuntimeError($"a {target.TypeName} cannot be indexed by a {property.TypeName}");
            default:
                if (property is not TString) throw new TemplateRuntimeError($"a {target.TypeName} cannot be indexed by a {property.TypeName}");
                return TUndefined.Instance;
        }
    }

    /// <summary><c>target[start:stop:step]</c> on a list or a string (strings slice by code point).</summary>
    public static TValue Slice(TValue target, TValue start, TValue stop, TValue step)
    {
        long? Part(TValue v, string what) => v switch
        {
            TInt i => i.Value,
            TUndefined => null,
            _ => throw new TemplateRuntimeError($"slice {what} must be an integer, not {v.TypeName}"),
        };
        var a = Part(start, "start");
        var b = Part(stop, "stop");
        var c = Part(step, "step") ?? 1;
        if (c == 0) throw new TemplateRuntimeError("slice step cannot be zero");
        switch (target)
        {
            case TArray array:
                return new TArray(SliceIndices(array.Items.Count, a, b, c).Select(i => array.Items[i]).ToList());
            case TString s:
                {
                    var points = JsText.CodePoints(s.Value);
                    var sb = new StringBuilder();
                    foreach (var i in SliceIndices(points.Count, a, b, c)) sb.Append(points[i]);
                    return new TString(sb.ToString());
                }
            default:
                throw new TemplateRuntimeError($"a {target.TypeName} cannot be sliced");
        }
    }

    private static IEnumerable<int> SliceIndices(int length, long? start, long? stop, long step)
    {
        long from, to;
        if (step > 0)
        {
            from = start is { } s0 ? (s0 < 0 ? Math.Max(length + s0, 0) : Math.Min(s0, length)) : 0;
            to = stop is { } e0 ? (e0 < 0 ? Math.Max(length + e0, 0) : Math.Min(e0, length)) : length;
            for (var i = from; i < to; i += step) yield return (int)i;
        }
        else
        {
            from = start is { } s1 ? (s1 < 0 ? Math.Max(length + s1, -1) : Math.Min(s1, length - 1)) : length - 1;
            to = stop is { } e1 ? (e1 < -1 ? Math.Max(length + e1, -1) : Math.Min(e1, length - 1)) : -1;
            for (var i = from; i > to; i += step) yield return (int)i;
        }
    }

    private static TFunction Method(string name, Func<CallArguments, TValue> body) => new(name, body);

    private static TValue? DictMethod(TObject dict, string name) => name switch
    {
        "get" => Method("get", args =>
        {
            if (args.At(0) is not TString key) throw new TemplateRuntimeError($"dict.get() key must be a string, not {args.At(0)?.TypeName ?? "missing"}");
            return dict.Map.TryGet(key.Value, out var value) ? value : args.At(1) ?? TNull.Instance;
        }),
        "items" => Method("items", _ => Items(dict)),
        "keys" => Method("keys", _ => new TArray(dict.Map.Keys.Select(k => (TValue)new TString(k)).ToList())),
        "values" => Method("values", _ => new TArray(dict.Map.Entries.Select(e => e.Value).ToList())),
        _ => null,
    };

    public static TArray Items(TObject dict) =>
        new(dict.Map.Entries.Select(e => (TValue)new TArray([new TString(e.Key), e.Value])).ToList());

    private static TValue? StringMethod(string s, string name) => name switch
    {
        "upper" => Method(name, _ => new TString(JsText.Upper(s))),
        "lower" => Method(name, _ => new TString(JsText.Lower(s))),
        // As in the reference implementation, strip/lstrip/rstrip remove whitespace and ignore a chars argument.
        "strip" => Method(name, _ => new TString(JsText.Trim(s))),
        "lstrip" => Method(name, _ => new TString(JsText.TrimStart(s))),
        "rstrip" => Method(name, _ => new TString(JsText.TrimEnd(s))),
        "title" => Method(name, _ => new TString(JsText.Title(s))),
        "capitalize" => Method(name, _ => new TString(s.Length == 0 ? s : JsText.Upper(s[..1]) + s[1..])),
        "length" => new TInt(s.Length),
        "startswith" => Method(name, args => TBool.Of(Affix(s, args, name, (x, p) => x.StartsWith(p, StringComparison.Ordinal)))),
        "endswith" => Method(name, args => TBool.Of(Affix(s, args, name, (x, p) => x.EndsWith(p, StringComparison.Ordinal)))),
        "split" => Method(name, args => Split(s, args)),
        "replace" => Method(name, args => Replace(s, args)),
        _ => null,
    };

    private static bool Affix(string s, CallArguments args, string name, Func<string, string, bool> test)
    {
        NoKeywords(args, name);
        switch (args.At(0))
        {
            case TString p:
                return test(s, p.Value);
            case TArray options:
                foreach (var item in options.Items)
                {
                    if (item is not TString option) throw new TemplateRuntimeError($"{name}() tuple items must be strings");
                    if (test(s, option.Value)) return true;
                }
                return false;
            case null:
                throw new TemplateRuntimeError($"{name}() requires an argument");
            default:
                throw new TemplateRuntimeError($"{name}() argument must be a string or a tuple of strings");
        }
    }

    private static void NoKeywords(CallArguments args, string name)
    {
        if (args.Keywords.Count > 0) throw new TemplateRuntimeError($"{name}() does not take keyword arguments");
    }

    private static TArray Split(string s, CallArguments args)
    {
        NoKeywords(args, "split");
        var separator = args.At(0) ?? TNull.Instance;
        var maxSplitValue = args.At(1) ?? new TInt(-1);
        if (maxSplitValue is not TInt maxSplit) throw new TemplateRuntimeError("split() maxsplit must be an integer");
        var parts = new List<string>();
        if (separator is TNull)
        {
            var text = JsText.TrimStart(s);
            var i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && JsText.IsWhitespace(text[i])) i++;
                if (i >= text.Length) break;
                var start = i;
                while (i < text.Length && !JsText.IsWhitespace(text[i])) i++;
                if (maxSplit.Value >= 0 && parts.Count >= maxSplit.Value)
                {
                    parts.Add(text[start..]);
                    break;
                }
                parts.Add(text[start..i]);
            }
        }
        else if (separator is TString sep)
        {
            if (sep.Value.Length == 0) throw new TemplateRuntimeError("split() separator is empty");
            parts.AddRange(s.Split(sep.Value, StringSplitOptions.None));
            if (maxSplit.Value >= 0 && parts.Count > maxSplit.Value)
            {
                var rest = string.Join(sep.Value, parts.Skip((int)maxSplit.Value));
                parts.RemoveRange((int)maxSplit.Value, parts.Count - (int)maxSplit.Value);
                parts.Add(rest);
            }
        }
        else throw new TemplateRuntimeError("split() separator must be a string or none");
        return new TArray(parts.Select(p => (TValue)new TString(p)).ToList());
    }

    public static TString Replace(string s, CallArguments args)
    {
        if (args.Positional.Count < 2) throw new TemplateRuntimeError("replace() requires two arguments");
        if (args.At(0) is not TString old || args.At(1) is not TString replacement) throw new TemplateRuntimeError("replace() arguments must be strings");
        var countValue = args.At(2) ?? args.Keyword("count") ?? TNull.Instance;
        long? count = countValue switch
        {
            TInt c => c.Value,
            TNull => null,
            _ => throw new TemplateRuntimeError("replace() count must be an integer or none"),
        };
        if (count == 0) return new TString(s);
        var remaining = count is null or < 0 ? long.MaxValue : count.Value;
        var sb = new StringBuilder();
        if (old.Value.Length == 0)
        {
            foreach (var point in JsText.CodePoints(s))
            {
                if (remaining-- > 0) sb.Append(replacement.Value);
                sb.Append(point);
            }
            if (remaining > 0) sb.Append(replacement.Value);
            return new TString(sb.ToString());
        }
        var at = 0;
        while (remaining > 0)
        {
            var found = s.IndexOf(old.Value, at, StringComparison.Ordinal);
            if (found < 0) break;
            sb.Append(s, at, found - at).Append(replacement.Value);
            at = found + old.Value.Length;
            remaining--;
        }
        sb.Append(s, at, s.Length - at);
        return new TString(sb.ToString());
    }
}
