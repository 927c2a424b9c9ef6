namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>An answer after <see cref="AnswerTextNormalizer"/>: LaTeX math (or plain text) and whether it was a percentage.</summary>
/// <param name="Latex">The normalised text.</param>
/// <param name="IsPercent">True when the answer carried <c>\%</c>, <c>%</c> or a percent word (removed from <paramref name="Latex"/>).</param>
internal sealed record NormalizedAnswer(string Latex, bool IsPercent)
{
    /// <summary>The answer written back as text (<c>\%</c> appended for a percentage); normalising it again gives this answer.</summary>
    public override string ToString() => IsPercent ? Latex + "\\%" : Latex;

    /// <summary>The form used when two answers are compared as plain text: lower case, without spaces and braces.</summary>
    public string TextKey => new(Latex.Where(c => !char.IsWhiteSpace(c) && c is not ('{' or '}')).Select(char.ToLowerInvariant).ToArray());
}
