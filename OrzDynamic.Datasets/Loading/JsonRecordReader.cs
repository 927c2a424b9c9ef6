using System.Text.Json;

namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Reads a data file that is either a JSON array of records or JSON Lines (one record per non-blank line).
/// File-level problems (not JSON, wrong root type, empty) and unparsable lines are reported as
/// <see cref="DataRecordError"/>s rather than thrown, so that callers can report every problem at once.
/// </summary>
internal static class JsonRecordReader
{
    /// <summary>Reads the records of <paramref name="path"/>; problems are appended to <paramref name="errors"/>.</summary>
    /// <param name="path">The data file.</param>
    /// <param name="errors">Receives every problem found.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <param name="replaceInvalidUtf8">False (default): invalid UTF-8 is a file-level error naming the byte offset.
    /// True: invalid sequences become U+FFFD and are reported through <paramref name="replacedUtf8"/>.</param>
    /// <param name="replacedUtf8">Receives (byte offset, line) of every replaced sequence.</param>
    /// <exception cref="FileNotFoundException">When the file does not exist.</exception>
    public static List<RawJsonRecord> Read(string path, List<DataRecordError> errors, CancellationToken cancellationToken = default,
        bool replaceInvalidUtf8 = false, List<(long Offset, int Line)>? replacedUtf8 = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(errors);
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file not found: {path}", path);
        var text = Utf8FileReader.Read(path, replaceInvalidUtf8, out var invalidUtf8);
        if (text is null)
        {
            var (offset, line) = invalidUtf8[0];
            errors.Add(new DataRecordError(path, null, line, null,
                $"invalid UTF-8 at byte offset {offset}; fix the file, or allow replacing invalid bytes with U+FFFD (--allow_invalid_utf8)"));
            return [];
        }
        replacedUtf8?.AddRange(invalidUtf8);
        var records = new List<RawJsonRecord>();
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            errors.Add(new DataRecordError(path, null, null, null, "the file is empty"));
            return records;
        }

        if (trimmed[0] == '[')
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                int i = 0;
                foreach (var element in doc.RootElement.EnumerateArray())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    records.Add(new RawJsonRecord(i++, null, element.Clone()));
                }
                if (records.Count == 0) errors.Add(new DataRecordError(path, null, null, null, "the JSON array contains no records"));
            }
            catch (JsonException ex)
            {
                errors.Add(new DataRecordError(path, null, (int?)(ex.LineNumber + 1), null, $"not valid JSON: {ex.Message}"));
            }
            return records;
        }

        // Not an array: either one JSON value (wrong root unless it is a one-line JSONL file) or JSON Lines.
        try
        {
            using var whole = JsonDocument.Parse(text);
            var lines = text.Split('\n').Where(l => l.Trim().Length > 0).ToList();
            if (whole.RootElement.ValueKind != JsonValueKind.Object || lines.Count != 1)
            {
                errors.Add(new DataRecordError(path, null, null, null,
                    $"the root is a JSON {Describe(whole.RootElement.ValueKind)}; expected an array of records or JSON Lines (one object per line)"));
                return records;
            }
        }
        catch (JsonException)
        {
            // Expected for JSON Lines with more than one record; parsed line by line below.
        }

        var lineErrors = new List<DataRecordError>();
        var all = text.Split('\n');
        int index = 0;
        for (int ln = 0; ln < all.Length; ln++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = all[ln].Trim();
            if (line.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                records.Add(new RawJsonRecord(index, ln + 1, doc.RootElement.Clone()));
            }
            catch (JsonException ex)
            {
                lineErrors.Add(new DataRecordError(path, index, ln + 1, null, $"line is not valid JSON: {ex.Message}"));
            }
            index++;
        }
        if (records.Count == 0)
            errors.Add(new DataRecordError(path, null, lineErrors.FirstOrDefault()?.LineNumber, null,
                "not valid JSON or JSON Lines" + (lineErrors.Count > 0 ? $" ({lineErrors[0].Message})" : string.Empty)));
        else errors.AddRange(lineErrors);
        return records;
    }

    /// <summary>A readable name of a JSON value kind ("string", "number", "object"…).</summary>
    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
