using System.Collections;

namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Turns .NET values given as template variables into template values.</summary>
internal static class TemplateValueConverter
{
    /// <summary>
    /// Converts null, strings, booleans, numbers (integral values become integers, as JavaScript numbers do),
    /// <see cref="ChatMessage"/>, <see cref="JsonElement"/>, string-keyed dictionaries and other sequences.
    /// </summary>
    /// <exception cref="ArgumentException">A value (or an item inside it) has a type templates cannot see.</exception>
    public static TValue Convert(object? value, string path) => value switch
    {
        null => TNull.Instance,
        string s => new TString(s),
        bool b => TBool.Of(b),
        int or long or short or sbyte or byte or ushort or uint => Integer(System.Convert.ToDouble(value, CultureInfo.InvariantCulture), path),
        ulong u => Integer(u, path),
        double or float or decimal => Number(System.Convert.ToDouble(value, CultureInfo.InvariantCulture), path),
        ChatMessage m => Message(m),
        JsonElement e => Json(e, path),
        IDictionary<string, object?> d => Dictionary(d.Select(kv => (kv.Key, kv.Value)), path),
        IReadOnlyDictionary<string, object?> d => Dictionary(d.Select(kv => (kv.Key, kv.Value)), path),
        IDictionary d => Dictionary(d.Keys.Cast<object>().Select(k => (k as string ?? throw new ArgumentException($"Template variable '{path}' has a non-string key.", nameof(value)), d[k])), path),
        IEnumerable sequence => new TArray(sequence.Cast<object?>().Select((x, i) => Convert(x, $"{path}[{i}]")).ToList()),
        _ => throw new ArgumentException($"Template variable '{path}' has type {value.GetType().Name}, which templates cannot use (strings, numbers, booleans, null, lists, string-keyed dictionaries, ChatMessage and JsonElement can).", nameof(value)),
    };

    public static TObject Message(ChatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var map = new OrderedMap();
        map.Set("role", new TString(message.Role ?? throw new ArgumentException("A chat message has a null Role.", nameof(message))));
        map.Set("content", new TString(message.Content ?? throw new ArgumentException($"The '{message.Role}' chat message has a null Content.", nameof(message))));
        return new TObject(map);
    }

    private static TValue Integer(double value, string path) => Number(value, path);

    private static TValue Number(double value, string path)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"Template variable '{path}' is not a finite number.", nameof(value));
        if (Math.Floor(value) == value)
        {
            if (Math.Abs(value) > JsNumber.MaxSafeInteger) throw new ArgumentException($"Template variable '{path}' is an integer beyond ±2^53.", nameof(value));
            return new TInt((long)value);
        }
        return new TFloat(value);
    }

    private static TObject Dictionary(IEnumerable<(string Key, object? Value)> entries, string path)
    {
        var map = new OrderedMap();
        foreach (var (key, item) in entries) map.Set(key, Convert(item, $"{path}.{key}"));
        return new TObject(map);
    }

    private static TValue Json(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => TNull.Instance,
        JsonValueKind.True => TBool.True,
        JsonValueKind.False => TBool.False,
        JsonValueKind.String => new TString(element.GetString()!),
        JsonValueKind.Number => Number(element.GetDouble(), path),
        JsonValueKind.Array => new TArray(element.EnumerateArray().Select((x, i) => Json(x, $"{path}[{i}]")).ToList()),
        _ => JsonObject(element, path),
    };

    private static TObject JsonObject(JsonElement element, string path)
    {
        var map = new OrderedMap();
        foreach (var property in element.EnumerateObject()) map.Set(property.Name, Json(property.Value, $"{path}.{property.Name}"));
        return new TObject(map);
    }
}
