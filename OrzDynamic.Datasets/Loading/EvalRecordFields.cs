namespace OrzDynamic.Datasets.Loading;

/// <summary>The fields of a well-formed evaluation record.</summary>
/// <param name="Question">The question text.</param>
/// <param name="Answer">The gold answer text.</param>
/// <param name="Choices">Options by letter, or null.</param>
internal sealed record EvalRecordFields(string Question, string Answer, IReadOnlyDictionary<string, string>? Choices);
