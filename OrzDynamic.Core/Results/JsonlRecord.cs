namespace OrzDynamic.Core.Results;

/// <summary>
/// One line of a results JSONL file (journal, results.jsonl, probe or custom-sentence scores) deserialized strictly
/// (<see cref="StrictJson"/>: wrong types, nulls in fields that are not nullable, null list elements and a line that is
/// <c>null</c> itself are refused), with a malformed line reported as a <see cref="ResultsFileException"/> naming the
/// file, the line and the JSON path of the offending field.
/// </summary>
internal static class JsonlRecord
{
    /// <summary>Deserializes <paramref name="line"/>; <paramref name="what"/> names the record kind ("sample record").</summary>
    /// <exception cref="ResultsFileException">The line is not a valid record.</exception>
    public static T Parse<T>(string line, JsonSerializerOptions options, string path, int lineNumber, string what) where T : class =>
        Parse<T>(Encoding.UTF8.GetBytes(line), options, path, lineNumber, what);

    /// <summary>As <see cref="Parse{T}(string, JsonSerializerOptions, string, int, string)"/>, for a line of UTF-8 bytes.</summary>
    /// <exception cref="ResultsFileException">The line is not a valid record.</exception>
    public static T Parse<T>(ReadOnlySpan<byte> line, JsonSerializerOptions options, string path, int lineNumber, string what) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, StrictJson.For(options))
                   ?? throw new ResultsFileException(path, lineNumber, $"not a valid {what}: the line is null");
        }
        catch (JsonException ex)
        {
            throw new ResultsFileException(path, lineNumber, $"not a valid {what}: {JsonProblem.Describe(ex, line)}", ex);
        }
    }
}
