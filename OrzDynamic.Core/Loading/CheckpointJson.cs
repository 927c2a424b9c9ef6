namespace OrzDynamic.Core.Loading;

/// <summary>Parses the JSON files of a checkpoint (<c>config.json</c>, the safetensors index).</summary>
internal static class CheckpointJson
{
    /// <summary>The document of <paramref name="json"/>, read from <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointFormatException">The content is not valid JSON (names the file).</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, string path)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, null, $"not valid JSON: {ex.Message}", ex);
        }
    }
}
