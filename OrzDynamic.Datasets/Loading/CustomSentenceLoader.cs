using System.Text.Json;

namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Loads custom sentence files: <c>{"prompt": "…", "response": "…"}</c> objects as a JSON array or JSON Lines, with
/// optional string fields <c>group</c> (e.g. "chosen", "rejected", "rephrase") and <c>label</c>,
/// with the same error discipline as <see cref="EvalDataLoader"/> (one <see cref="DataFormatException"/> listing every
/// problem, or skip-with-warning when <c>skipInvalidRecords</c> is set; file-level problems always throw).
/// The prompt may be empty (unconditional text); the response must not be.
/// </summary>
public sealed class CustomSentenceLoader
{
    private readonly ILogger _logger;

    /// <summary>Creates a loader that logs warnings to <paramref name="logger"/>.</summary>
    public CustomSentenceLoader(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>Loads the sentences of <paramref name="paths"/> (files or directories of *.json/*.jsonl).</summary>
    /// <param name="paths">Files or directories.</param>
    /// <param name="skipInvalidRecords">Skip malformed records with a warning instead of refusing the files.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <param name="replaceInvalidUtf8">Replace invalid UTF-8 with U+FFFD (warning) instead of refusing the file.</param>
    /// <exception cref="DataFormatException">Malformed files or records.</exception>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public CustomSentenceSet Load(IEnumerable<string> paths, bool skipInvalidRecords = false, CancellationToken cancellationToken = default,
        bool replaceInvalidUtf8 = false)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = EvalDataLoader.ExpandPaths(paths);
        if (files.Count == 0) throw new ArgumentException("No sentence files were given.", nameof(paths));
        var reading = new RecordFiles(_logger);
        var sentences = new List<CustomSentence>();
        foreach (var path in files)
        {
            foreach (var record in reading.Read(path, replaceInvalidUtf8, out _, cancellationToken))
            {
                var s = ParseRecord(path, record, reading.RecordErrors);
                if (s is not null) sentences.Add(s);
            }
        }
        var skipped = reading.Finish(skipInvalidRecords, "sentence record");
        return new CustomSentenceSet(sentences, skipped, reading.RecordErrors);
    }

    /// <summary>Loads one file.</summary>
    public CustomSentenceSet Load(string path, bool skipInvalidRecords = false, CancellationToken cancellationToken = default,
        bool replaceInvalidUtf8 = false)
        => Load([path], skipInvalidRecords, cancellationToken, replaceInvalidUtf8);

    private static CustomSentence? ParseRecord(string path, RawJsonRecord record, List<DataRecordError> errors)
    {
        var problems = new RecordProblems(path, record, errors);
        if (problems.AsObject() is not { } e) return null;
        string? prompt = null, response = null;
        if (!e.TryGetProperty("prompt", out var p)) problems.Fail("prompt", "missing");
        else if (p.ValueKind != JsonValueKind.String) problems.Fail("prompt", $"expected a string, found a {JsonRecordReader.Describe(p.ValueKind)}");
        else prompt = p.GetString();
        if (!e.TryGetProperty("response", out var r)) problems.Fail("response", "missing");
        else if (r.ValueKind != JsonValueKind.String) problems.Fail("response", $"expected a string, found a {JsonRecordReader.Describe(r.ValueKind)}");
        else if (string.IsNullOrEmpty(r.GetString())) problems.Fail("response", "empty");
        else response = r.GetString();
        var group = OptionalString(e, "group", problems.Fail);
        var label = OptionalString(e, "label", problems.Fail);
        if (problems.Any || prompt is null || response is null) return null;
        return new CustomSentence(path, record.Index, prompt, response, group, label);
    }

    private static string? OptionalString(JsonElement e, string field, Action<string?, string> fail)
    {
        if (!e.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            fail(field, $"expected a string, found a {JsonRecordReader.Describe(v.ValueKind)}");
            return null;
        }
        var text = v.GetString()!.Trim();
        if (text.Length == 0)
        {
            fail(field, "empty (omit the field instead)");
            return null;
        }
        return text;
    }
}
