namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Equality and ordering of values with the reference implementation's rules (JavaScript <c>==</c> for
/// <c>==</c>/<c>!=</c>, <c>===</c> for <c>in</c> on lists, type-strict ordering for <c>|sort</c>).</summary>
internal static class ValueCompare
{
    /// <summary><c>==</c>: numbers, booleans and numeric strings compare by value; none equals undefined; lists, dicts
    /// and namespaces only equal themselves.</summary>
    public static bool LooseEquals(TValue a, TValue b)
    {
        if (a is TNull or TUndefined || b is TNull or TUndefined) return a is TNull or TUndefined && b is TNull or TUndefined;
        if (a is TString sa && b is TString sb) return string.Equals(sa.Value, sb.Value, StringComparison.Ordinal);
        if (IsReference(a) && IsReference(b)) return SameReference(a, b);
        if (IsReference(a)) return a is TArray aa && LooseEquals(new TString(ValueText.Concat(aa)), b);
        if (IsReference(b)) return b is TArray ab && LooseEquals(a, new TString(ValueText.Concat(ab)));
        return Number(a) == Number(b);
    }

    /// <summary><c>===</c>: same kind (integers and floats are both numbers) and value, or the same list/dict.</summary>
    public static bool StrictEquals(TValue a, TValue b) => (a, b) switch
    {
        (TNull, TNull) or (TUndefined, TUndefined) => true,
        (TString x, TString y) => string.Equals(x.Value, y.Value, StringComparison.Ordinal),
        (TBool x, TBool y) => x.Value == y.Value,
        (TInt or TFloat, TInt or TFloat) => Number(a) == Number(b),
        _ => IsReference(a) && IsReference(b) && SameReference(a, b),
    };

    private static bool IsReference(TValue v) => v is TArray or TObject or TNamespace or TFunction;

    private static bool SameReference(TValue a, TValue b) => (a, b) switch
    {
        (TArray x, TArray y) => ReferenceEquals(x.Items, y.Items),
        (TObject x, TObject y) => ReferenceEquals(x.Map, y.Map),
        (TNamespace x, TNamespace y) => ReferenceEquals(x.Map, y.Map),
        _ => ReferenceEquals(a, b),
    };

    private static double Number(TValue v) => v switch
    {
        TInt i => i.Value,
        TFloat f => f.Value,
        TBool b => b.Value ? 1 : 0,
        TString s => JsNumber.ToNumber(s.Value),
        _ => double.NaN,
    };

    public static bool IsNumber(TValue v) => v is TInt or TFloat;

    public static double NumberOf(TValue v) => Number(v);

    /// <summary>Ordering for <c>|sort</c>: numbers and booleans together, strings (optionally case-insensitive) by UTF-16
    /// code units; anything else, or mixed kinds, is an error.</summary>
    public static int SortCompare(TValue a, TValue b, bool caseSensitive)
    {
        if (a is TNull && b is TNull) return 0;
        if (a is TNull || b is TNull) throw new TemplateRuntimeError($"cannot compare {a.TypeName} with {b.TypeName}");
        if (a is TUndefined && b is TUndefined) return 0;
        if (a is TUndefined || b is TUndefined) throw new TemplateRuntimeError($"cannot compare {a.TypeName} with {b.TypeName}");
        if (a is TInt or TFloat or TBool && b is TInt or TFloat or TBool) return Number(a).CompareTo(Number(b)) switch { < 0 => -1, > 0 => 1, _ => 0 };
        if (a is TString x && b is TString y)
        {
            var left = caseSensitive ? x.Value : JsText.Lower(x.Value);
            var right = caseSensitive ? y.Value : JsText.Lower(y.Value);
            return Math.Sign(string.CompareOrdinal(left, right));
        }
        throw new TemplateRuntimeError($"cannot compare {a.TypeName} with {b.TypeName}");
    }
}
