using System.Text.Json;

namespace OrzDynamic.Datasets.Loading;

/// <summary>
/// Validates one evaluation record. Accepted forms: the Python tool's
/// <c>{"prompt":[{"from":"user","value":…},…], "final_answer":…, "choices"?:{…}}</c> (the question is the first user
/// turn) and the simple <c>{"prompt":"…", "answer":"…"}</c>. Answers may be JSON strings or numbers (numbers keep
/// their spelling, e.g. <c>73</c>, <c>0.5</c>); choices values may be strings or numbers.
/// </summary>
internal static class EvalRecordParser
{
    /// <summary>Parses <paramref name="record"/>; returns null and appends every problem to <paramref name="errors"/> when malformed.</summary>
    public static EvalRecordFields? Parse(string path, RawJsonRecord record, List<DataRecordError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var problems = new RecordProblems(path, record, errors);
        if (problems.AsObject() is not { } e) return null;

        string? question = null;
        if (!e.TryGetProperty("prompt", out var prompt)) problems.Fail("prompt", "missing");
        else if (prompt.ValueKind == JsonValueKind.String)
        {
            question = prompt.GetString();
            if (string.IsNullOrWhiteSpace(question)) { problems.Fail("prompt", "empty"); question = null; }
        }
        else if (prompt.ValueKind == JsonValueKind.Array) question = ParseTurns(prompt, problems.Fail);
        else problems.Fail("prompt", $"expected a string or an array of {{from, value}} turns, found a {JsonRecordReader.Describe(prompt.ValueKind)}");

        string? answer = null;
        string answerField = e.TryGetProperty("final_answer", out var answerElement) ? "final_answer"
            : e.TryGetProperty("answer", out answerElement) ? "answer" : string.Empty;
        if (answerField.Length == 0) problems.Fail("final_answer", "missing (neither 'final_answer' nor 'answer' is present)");
        else answer = ParseScalarText(answerElement, answerField, problems.Fail, allowEmpty: false);

        Dictionary<string, string>? choices = null;
        if (e.TryGetProperty("choices", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.Object) problems.Fail("choices", $"expected an object of options by letter, found a {JsonRecordReader.Describe(c.ValueKind)}");
            else
            {
                choices = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var p in c.EnumerateObject())
                {
                    if (p.Name.Trim().Length == 0) { problems.Fail("choices", "an option has an empty letter"); continue; }
                    var text = ParseScalarText(p.Value, $"choices.{p.Name}", problems.Fail, allowEmpty: true);
                    if (text is not null) choices[p.Name.Trim()] = text;
                }
                if (choices.Count == 0 && !problems.Any) problems.Fail("choices", "no options");
            }
        }

        if (problems.Any || question is null || answer is null) return null;
        return new EvalRecordFields(question, answer, choices);
    }

    private static string? ParseTurns(JsonElement turns, Action<string?, string> fail)
    {
        if (turns.GetArrayLength() == 0) { fail("prompt", "the turn list is empty"); return null; }
        int i = 0;
        string? firstUser = null;
        foreach (var turn in turns.EnumerateArray())
        {
            var field = $"prompt[{i}]";
            if (turn.ValueKind != JsonValueKind.Object) fail(field, $"expected an object {{from, value}}, found a {JsonRecordReader.Describe(turn.ValueKind)}");
            else
            {
                string? from = null;
                if (!turn.TryGetProperty("from", out var f)) fail(field + ".from", "missing");
                else if (f.ValueKind != JsonValueKind.String) fail(field + ".from", $"expected a string, found a {JsonRecordReader.Describe(f.ValueKind)}");
                else from = f.GetString();
                string? value = null;
                if (!turn.TryGetProperty("value", out var v)) fail(field + ".value", "missing");
                else if (v.ValueKind != JsonValueKind.String) fail(field + ".value", $"expected a string, found a {JsonRecordReader.Describe(v.ValueKind)}");
                else value = v.GetString();
                if (firstUser is null && value is not null && from is "user" or "human")
                {
                    if (string.IsNullOrWhiteSpace(value)) fail(field + ".value", "empty");
                    else firstUser = value;
                }
            }
            i++;
        }
        if (firstUser is null) fail("prompt", "no turn with \"from\": \"user\"");
        return firstUser;
    }

    private static string? ParseScalarText(JsonElement value, string field, Action<string?, string> fail, bool allowEmpty)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var s = value.GetString()!;
                if (!allowEmpty && s.Trim().Length == 0) { fail(field, "empty"); return null; }
                return s;
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                fail(field, $"expected a string or a number, found a {JsonRecordReader.Describe(value.ValueKind)}");
                return null;
        }
    }
}
