namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>An answer found in a text: its LaTeX (or plain) text and the source that found it.</summary>
/// <param name="Text">The answer text, delimiters removed.</param>
/// <param name="Source">The rule that found it.</param>
internal sealed record ExtractedAnswer(string Text, AnswerSource Source);
