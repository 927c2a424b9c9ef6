namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>A run-time value of the template language, with the truthiness of Python's Jinja.</summary>
internal abstract class TValue
{
    /// <summary>Type name used in error messages.</summary>
    public abstract string TypeName { get; }

    public abstract bool Truthy { get; }
}

internal sealed class TUndefined : TValue
{
    public static readonly TUndefined Instance = new();

    public override string TypeName => "undefined";

    public override bool Truthy => false;
}

internal sealed class TNull : TValue
{
    public static readonly TNull Instance = new();

    public override string TypeName => "none";

    public override bool Truthy => false;
}

internal sealed class TBool : TValue
{
    public static readonly TBool True = new(true);
    public static readonly TBool False = new(false);

    private TBool(bool value) => Value = value;

    public bool Value { get; }

    public static TBool Of(bool value) => value ? True : False;

    public override string TypeName => "boolean";

    public override bool Truthy => Value;
}

/// <summary>An integer; kept within ±2^53 like the JavaScript numbers of the reference implementation.</summary>
internal sealed class TInt(long value) : TValue
{
    public long Value { get; } = value;

    public override string TypeName => "integer";

    public override bool Truthy => Value != 0;
}

internal sealed class TFloat(double value) : TValue
{
    public double Value { get; } = value;

    public override string TypeName => "float";

    public override bool Truthy => Value != 0 && !double.IsNaN(Value);
}

internal sealed class TString(string value) : TValue
{
    public static readonly TString Empty = new("");

    public string Value { get; } = value;

    public override string TypeName => "string";

    public override bool Truthy => Value.Length > 0;
}

/// <summary>A list, or a tuple (<see cref="IsTuple"/>): tuples cannot be rendered or serialized, as in the reference.</summary>
internal sealed class TArray(List<TValue> items, bool isTuple = false) : TValue
{
    public List<TValue> Items { get; } = items;

    public bool IsTuple { get; } = isTuple;

    public override string TypeName => IsTuple ? "tuple" : "list";

    public override bool Truthy => Items.Count > 0;
}

/// <summary>A mapping with string keys in insertion order (dicts, messages, the <c>loop</c> object).</summary>
internal sealed class TObject(OrderedMap map) : TValue
{
    public OrderedMap Map { get; } = map;

    public override string TypeName => "dict";

    public override bool Truthy => Map.Count > 0;
}

/// <summary>The mutable object made by <c>namespace(...)</c>; always true, no dict methods.</summary>
internal sealed class TNamespace(OrderedMap map) : TValue
{
    public OrderedMap Map { get; } = map;

    public override string TypeName => "namespace";

    public override bool Truthy => true;
}

/// <summary>A callable: a macro, a global function or a bound method of a string or dict.</summary>
internal sealed class TFunction(string name, Func<CallArguments, TValue> invoke) : TValue
{
    public string Name { get; } = name;

    public Func<CallArguments, TValue> Invoke { get; } = invoke;

    public override string TypeName => "function";

    public override bool Truthy => true;
}

/// <summary>Evaluated call arguments: positional values and keyword values in call order.</summary>
internal sealed record CallArguments(List<TValue> Positional, OrderedMap Keywords)
{
    public static CallArguments Of(params TValue[] positional) => new([.. positional], new OrderedMap());

    public TValue? At(int index) => index < Positional.Count ? Positional[index] : null;

    public TValue? Keyword(string name) => Keywords.TryGet(name, out var value) ? value : null;
}

/// <summary>String-keyed map that keeps insertion order; setting an existing key keeps its place.</summary>
internal sealed class OrderedMap
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, TValue> _values = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IReadOnlyList<string> Keys => _keys;

    public IEnumerable<KeyValuePair<string, TValue>> Entries => _keys.Select(k => new KeyValuePair<string, TValue>(k, _values[k]));

    public void Set(string key, TValue value)
    {
        if (!_values.ContainsKey(key)) _keys.Add(key);
        _values[key] = value;
    }

    public bool TryGet(string key, out TValue value) => _values.TryGetValue(key, out value!);

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public void Remove(string key)
    {
        if (_values.Remove(key)) _keys.Remove(key);
    }
}

/// <summary>A run-time error inside an expression; the interpreter adds the line and column of the node.</summary>
internal sealed class TemplateRuntimeError(string message) : Exception(message);

/// <summary>Raised by the template's <c>raise_exception</c>; the interpreter adds the line and column.</summary>
internal sealed class TemplateRaise(string message) : Exception(message);
