namespace OrzDynamic.Datasets.Loading;

/// <summary>One evaluation question.</summary>
/// <param name="DatasetName">The file name without extension (e.g. "math500").</param>
/// <param name="SourcePath">The file the sample was read from.</param>
/// <param name="Index">0-based record index in that file.</param>
/// <param name="Question">The question text (the first user turn).</param>
/// <param name="Answer">The gold answer as written in the file (numbers keep their JSON spelling).</param>
/// <param name="Choices">Options by letter for multiple-choice records, else null.</param>
/// <param name="Prompt">The question rendered with the prompt template.</param>
/// <param name="PromptTokenCount">Token count of <paramref name="Prompt"/> when a tokenizer was given, else null.</param>
public sealed record EvalSample(
    string DatasetName,
    string SourcePath,
    int Index,
    string Question,
    string Answer,
    IReadOnlyDictionary<string, string>? Choices,
    string Prompt,
    int? PromptTokenCount);
