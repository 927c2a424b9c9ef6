namespace OrzDynamic.Core.Tokenization;

/// <summary>Small helpers that read JSON fields and turn every problem into a <see cref="TokenizerLoadException"/>.</summary>
internal static class JsonReaders
{
    public static JsonDocument ParseFile(string path)
    {
        if (!File.Exists(path)) throw new TokenizerLoadException(path, null, "file not found.");
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new TokenizerLoadException(path, null, $"not valid JSON ({ex.Message}).", ex);
        }
    }

    public static JsonElement RequireObject(JsonElement parent, string name, string file, string fieldPath) =>
        Require(parent, name, JsonValueKind.Object, "an object", file, fieldPath);

    public static JsonElement? OptionalNode(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value;
    }

    public static string RequireString(JsonElement parent, string name, string file, string fieldPath) =>
        Require(parent, name, JsonValueKind.String, "a string", file, fieldPath).GetString()!;

    public static string? OptionalString(JsonElement parent, string name, string file, string fieldPath)
    {
        var node = OptionalNode(parent, name);
        if (node is null) return null;
        if (node.Value.ValueKind != JsonValueKind.String)
            throw new TokenizerLoadException(file, fieldPath, $"must be a string or null but is {node.Value.ValueKind}.");
        return node.Value.GetString();
    }

    public static bool OptionalBool(JsonElement parent, string name, bool defaultValue, string file, string fieldPath)
    {
        var node = OptionalNode(parent, name);
        if (node is null) return defaultValue;
        return node.Value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new TokenizerLoadException(file, fieldPath, $"must be true or false but is {node.Value.ValueKind}."),
        };
    }

    public static int RequireInt(JsonElement parent, string name, string file, string fieldPath) =>
        AsInt(Require(parent, name, kind: null, "", file, fieldPath), file, fieldPath);

    public static int AsInt(JsonElement value, string file, string fieldPath)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var result))
            throw new TokenizerLoadException(file, fieldPath, $"must be a 32-bit integer but is {Describe(value)}.");
        return result;
    }

    public static JsonElement RequireArray(JsonElement parent, string name, string file, string fieldPath) =>
        Require(parent, name, JsonValueKind.Array, "an array", file, fieldPath);

    /// <summary>The property <paramref name="name"/> of <paramref name="parent"/>, present and (unless <paramref name="kind"/> is null) of that kind.</summary>
    private static JsonElement Require(JsonElement parent, string name, JsonValueKind? kind, string kindName, string file, string fieldPath)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
            throw new TokenizerLoadException(file, fieldPath, "is missing.");
        if (kind is { } expected && value.ValueKind != expected)
            throw new TokenizerLoadException(file, fieldPath, $"must be {kindName} but is {value.ValueKind}.");
        return value;
    }

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        _ => value.ValueKind.ToString(),
    };

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>
    /// Visits the components of a tokenizer.json pipeline node (normalizer, pre-tokenizer, decoder, post-processor): the
    /// children of a <c>Sequence</c> node (under <paramref name="sequenceKey"/>), recursively and in order, else the node
    /// itself. <paramref name="visit"/> receives the component, its <c>type</c> and its JSON path.
    /// </summary>
    public static void VisitComponents(JsonElement node, string sequenceKey, string file, string path, Action<JsonElement, string, string> visit)
    {
        var type = RequireString(node, "type", file, path + ".type");
        if (type != "Sequence")
        {
            visit(node, type, path);
            return;
        }
        var i = 0;
        foreach (var child in RequireArray(node, sequenceKey, file, $"{path}.{sequenceKey}").EnumerateArray())
            VisitComponents(child, sequenceKey, file, $"{path}.{sequenceKey}[{i++}]", visit);
    }
}
