using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
        var fileErrors = new List<DataRecordError>();
        var recordErrors = new List<DataRecordError>();
        var sentences = new List<CustomSentence>();
        foreach (var path in files)
        {
            var readErrors = new List<DataRecordError>();
            var replaced = new List<(long Offset, int Line)>();
            var raw = JsonRecordReader.Read(path, readErrors, cancellationToken, replaceInvalidUtf8, replaced);
            Utf8Warnings.Log(_logger, path, replaced);
            fileErrors.AddRange(readErrors.Where(e => e.RecordIndex is null));
            recordErrors.AddRange(readErrors.Where(e => e.RecordIndex is not null));
            foreach (var record in raw)
            {
                var s = ParseRecord(path, record, recordErrors);
                if (s is not null) sentences.Add(s);
            }
        }
        if (fileErrors.Count > 0 || (recordErrors.Count > 0 && !skipInvalidRecords))
            throw new DataFormatException(fileErrors.Concat(recordErrors).ToList());
        foreach (var group in recordErrors.GroupBy(e => (e.FilePath, e.RecordIndex)))
            _logger.LogWarning("Skipping malformed sentence record {Record} of {File}: {Problems}", group.Key.RecordIndex, group.Key.FilePath,
                string.Join("; ", group.Select(e => (e.Field is null ? "" : e.Field + ": ") + e.Message)));
        int skipped = recordErrors.Select(e => (e.FilePath, e.RecordIndex)).Distinct().Count();
        return new CustomSentenceSet(sentences, skipped, recordErrors);
    }

    /// <summary>Loads one file.</summary>
    public CustomSentenceSet Load(string path, bool skipInvalidRecords = false, CancellationToken cancellationToken = default,
        bool replaceInvalidUtf8 = false)
        => Load([path], skipInvalidRecords, cancellationToken, replaceInvalidUtf8);

    private static CustomSentence? ParseRecord(string path, RawJsonRecord record, List<DataRecordError> errors)
    {
        int before = errors.Count;
        void Fail(string? field, string message) => errors.Add(new DataRecordError(path, record.Index, record.LineNumber, field, message));
        var e = record.Element;
        if (e.ValueKind != JsonValueKind.Object)
        {
            Fail(null, $"the record is a JSON {JsonRecordReader.Describe(e.ValueKind)}; expected an object");
            return null;
        }
        string? prompt = null, response = null;
        if (!e.TryGetProperty("prompt", out var p)) Fail("prompt", "missing");
        else if (p.ValueKind != JsonValueKind.String) Fail("prompt", $"expected a string, found a {JsonRecordReader.Describe(p.ValueKind)}");
        else prompt = p.GetString();
        if (!e.TryGetProperty("response", out var r)) Fail("response", "missing");
        else if (r.ValueKind != JsonValueKind.String) Fail("response", $"expected a string, found a {JsonRecordReader.Describe(r.ValueKind)}");
        else if (string.IsNullOrEmpty(r.GetString())) Fail("response", "empty");
        else response = r.GetString();
        var group = OptionalString(e, "group", Fail);
        var label = OptionalString(e, "label", Fail);
        if (errors.Count != before || prompt is null || response is null) return null;
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
