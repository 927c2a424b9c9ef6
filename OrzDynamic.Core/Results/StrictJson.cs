using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace OrzDynamic.Core.Results;

/// <summary>
/// Reading options that refuse what the record types do not allow: <c>null</c> for a field that is not nullable
/// (<c>"output": null</c>, <c>"units": null</c>) and <c>null</c> elements in lists of objects or strings
/// (<c>"units": [null]</c>). Every reader of a journal line, a plan or a manifest deserializes through them, so a wrong
/// type or a null fails with a <see cref="JsonException"/> whose path names the field (see <see cref="JsonProblem"/>)
/// instead of surfacing later as a null reference.
/// </summary>
internal static class StrictJson
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Cache = new();

    /// <summary>A strict copy of <paramref name="options"/> (cached per options instance).</summary>
    public static JsonSerializerOptions For(JsonSerializerOptions options) => Cache.GetValue(options, o =>
    {
        var strict = new JsonSerializerOptions(o)
        {
            RespectNullableAnnotations = true,
            TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(RefuseNullElements),
        };
        strict.MakeReadOnly();
        return strict;
    });

    /// <summary>Makes the setter of every list-of-reference-type property refuse a list with a null element.</summary>
    private static void RefuseNullElements(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            var t = property.PropertyType;
            if (property.Set is not { } set || !t.IsGenericType || t.GetGenericTypeDefinition() != typeof(IReadOnlyList<>)
                || t.GetGenericArguments()[0].IsValueType) continue;
            property.Set = (owner, value) =>
            {
                if (value is IList list)
                    for (int i = 0; i < list.Count; i++)
                        if (list[i] is null) throw new NullElementException(i);
                set(owner, value);
            };
        }
    }
}

/// <summary>A list element that is JSON <c>null</c> where the list holds objects or strings.</summary>
internal sealed class NullElementException(int index) : JsonException($"element [{index}] is null")
{
    /// <summary>0-based index of the element.</summary>
    public int Index { get; } = index;
}
