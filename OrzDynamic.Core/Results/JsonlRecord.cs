using System.Text.Json;

namespace OrzDynamic.Core.Results;

/// <summary>
/// One line of a results JSONL file (journal, results.jsonl, probe or custom-sentence scores) deserialized, with a
/// malformed line reported as a <see cref="ResultsFileException"/> naming the file, the line, the JSON path of the
/// offending field and what the line should have been.
/// </summary>
internal static class JsonlRecord
{
    /// <summary>Deserializes <paramref name="line"/>; <paramref name="what"/> names the record kind ("sample record").</summary>
    public static T? Parse<T>(string line, JsonSerializerOptions options, string path, int lineNumber, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, options);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex, path, lineNumber, what);
        }
    }

    /// <summary>As <see cref="Parse{T}(string, JsonSerializerOptions, string, int, string)"/>, for a line of UTF-8 bytes.</summary>
    public static T? Parse<T>(ReadOnlySpan<byte> line, JsonSerializerOptions options, string path, int lineNumber, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, options);
        }
        catch (JsonException ex)
        {
            throw Invalid(ex, path, lineNumber, what);
        }
    }

    private static ResultsFileException Invalid(JsonException ex, string path, int lineNumber, string what) =>
        new(path, lineNumber, $"not a valid {what} (field {ex.Path}): {ex.Message}", ex);
}
