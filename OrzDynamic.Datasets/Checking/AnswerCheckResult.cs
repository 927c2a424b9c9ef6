namespace OrzDynamic.Datasets.Checking;

/// <summary>The verdict of an <see cref="IAnswerChecker"/>.</summary>
/// <param name="IsCorrect">Whether the output's answer equals the gold answer.</param>
/// <param name="ExtractedAnswer">The answer taken from the model output (after unwrapping), empty when none.</param>
/// <param name="GoldAnswer">The gold answer as compared (after unwrapping).</param>
/// <param name="Stage">The rule that decided.</param>
public sealed record AnswerCheckResult(bool IsCorrect, string ExtractedAnswer, string GoldAnswer, AnswerCheckStage Stage);
