using System.Text.Json;

namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Collects the problems of one record into the loader's list, each naming file, record index, line and field.
/// </summary>
internal sealed class RecordProblems(string path, RawJsonRecord record, List<DataRecordError> errors)
{
    private readonly int _before = errors.Count;

    /// <summary>True when the record has a problem.</summary>
    public bool Any => errors.Count != _before;

    /// <summary>Adds a problem with <paramref name="field"/> (null: the record as a whole).</summary>
    public void Fail(string? field, string message) => errors.Add(new DataRecordError(path, record.Index, record.LineNumber, field, message));

    /// <summary>The record's JSON object, or null (with a problem) when the record is another JSON value.</summary>
    public JsonElement? AsObject()
    {
        var e = record.Element;
        if (e.ValueKind == JsonValueKind.Object) return e;
        Fail(null, $"the record is a JSON {JsonRecordReader.Describe(e.ValueKind)}; expected an object");
        return null;
    }
}
