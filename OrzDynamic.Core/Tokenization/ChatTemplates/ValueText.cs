namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>How values become text: rendered output, string concatenation, <c>|join</c> and JSON (<c>|tojson</c>).</summary>
internal static class ValueText
{
    /// <summary>The text a value renders as in <c>{{ }}</c>; lists and dicts render as JSON.</summary>
    public static string Display(TValue value) => value switch
    {
        TString s => s.Value,
        TInt i => i.Value.ToString(CultureInfo.InvariantCulture),
        TFloat f => JsNumber.FloatDisplay(f.Value),
        TBool b => b.Value ? "true" : "false",
        TNull => "null",
        TUndefined => "undefined",
        TArray or TObject or TNamespace => Json(value, JsonOptions.Default, 0, undefinedAsNull: false),
        _ => throw new TemplateRuntimeError($"a {value.TypeName} cannot be rendered as text"),
    };

    /// <summary>The text a value contributes to <c>~</c> and string <c>+</c>: floats without a forced ".0", lists joined by commas.</summary>
    public static string Concat(TValue value) => value switch
    {
        TString s => s.Value,
        TInt i => i.Value.ToString(CultureInfo.InvariantCulture),
        TFloat f => JsNumber.ToString(f.Value),
        TBool b => b.Value ? "true" : "false",
        TArray a => string.Join(",", a.Items.Select(Display)),
        _ => throw new TemplateRuntimeError($"a {value.TypeName} cannot be concatenated to a string"),
    };

    /// <summary>The text of one item of <c>|join</c>: none and undefined join as empty text.</summary>
    public static string JoinItem(TValue value) => value is TNull or TUndefined ? "" : Concat(value);

    /// <summary>Options of <c>|tojson</c>.</summary>
    public sealed record JsonOptions(int? Indent, bool EnsureAscii, (string Item, string Key)? Separators, bool SortKeys)
    {
        public static readonly JsonOptions Default = new(null, false, null, false);
    }

    /// <summary>JSON text as the reference writes it: ", " and ": " separators (",", ": " when indenting), non-ASCII kept
    /// unless <see cref="JsonOptions.EnsureAscii"/>.</summary>
    public static string Json(TValue value, JsonOptions options, int depth, bool undefinedAsNull)
    {
        var indent = options.Indent is > 0 ? options.Indent.Value : 0;
        var (itemSeparator, keySeparator) = options.Separators ?? (indent > 0 ? (",", ": ") : (", ", ": "));
        switch (value)
        {
            case TNull:
                return "null";
            case TUndefined:
                return undefinedAsNull ? "null" : "undefined";
            case TInt i:
                return i.Value.ToString(CultureInfo.InvariantCulture);
            case TFloat f:
                return double.IsFinite(f.Value) ? JsNumber.ToString(f.Value) : "null";
            case TBool b:
                return b.Value ? "true" : "false";
            case TString s:
                return Quote(s.Value, options.EnsureAscii);
            case TArray { IsTuple: false } array:
                {
                    var padding = "\n" + new string(' ', indent * depth);
                    var childPadding = padding + new string(' ', indent);
                    var items = array.Items.Select(x => Json(x, options, depth + 1, undefinedAsNull)).ToList();
                    return indent > 0 && items.Count > 0
                        ? "[" + childPadding + string.Join(itemSeparator + childPadding, items) + padding + "]"
                        : "[" + string.Join(itemSeparator, items) + "]";
                }
            case TObject or TNamespace:
                {
                    var map = value is TObject o ? o.Map : ((TNamespace)value).Map;
                    var padding = "\n" + new string(' ', indent * depth);
                    var childPadding = padding + new string(' ', indent);
                    IEnumerable<KeyValuePair<string, TValue>> entries = map.Entries;
                    if (options.SortKeys) entries = entries.OrderBy(e => e.Key, StringComparer.InvariantCulture);
                    var parts = entries.Select(e =>
                    {
                        var entry = Quote(e.Key, options.EnsureAscii) + keySeparator + Json(e.Value, options, depth + 1, undefinedAsNull);
                        return indent > 0 ? childPadding + entry : entry;
                    }).ToList();
                    return indent > 0 && parts.Count > 0
                        ? "{" + string.Join(itemSeparator, parts) + padding + "}"
                        : "{" + string.Join(itemSeparator, parts) + "}";
                }
            default:
                throw new TemplateRuntimeError($"a {value.TypeName} cannot be converted to JSON");
        }
    }

    /// <summary>A JSON string literal as <c>JSON.stringify</c> writes it (lone surrogates escaped), optionally ASCII-only.</summary>
    public static string Quote(string s, bool ensureAscii)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
            }
            var lone = (char.IsHighSurrogate(c) && !(i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])))
                || (char.IsLowSurrogate(c) && !(i > 0 && char.IsHighSurrogate(s[i - 1])));
            if (c < ' ' || lone || (ensureAscii && c >= '\u007f'))
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        sb.Append('"');
        return sb.ToString();
    }
}
