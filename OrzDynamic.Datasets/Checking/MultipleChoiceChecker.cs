using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Multiple-choice answers (GPQA style, letters A–D). The letter is read from the answer text (see
/// <see cref="AnswerTextCleanup.FindAnswerText"/>): <c>C</c>, <c>(C)</c>, <c>C.</c>, <c>C)</c>, <c>C. option text</c>,
/// <c>Option C</c>; else the exact text of one option (case-insensitive); else a decorated lower-case letter such as
/// <c>(c)</c>. A bare lower-case letter is not read as a letter because option texts can themselves be lower-case
/// letters (GPQA's "A. d").
/// </summary>
public sealed partial class MultipleChoiceChecker : IAnswerChecker
{
    [GeneratedRegex(@"^(?<p>(?i:(?:the\s+)?(?:correct\s+)?(?:answer|option|choice)\s*(?:is\s*)?:?\s*))?(?<o>\()?(?<l>[A-Za-z])(?<c>\))?(?<rest>[.:)]\s*.*)?$",
        RegexOptions.CultureInvariant | RegexOptions.Singleline, 500)]
    private static partial Regex LetterPattern();

    /// <summary>Creates the checker for letters A… up to <paramref name="lastLetter"/>.</summary>
    public MultipleChoiceChecker(char lastLetter = 'D')
    {
        if (lastLetter is < 'A' or > 'Z') throw new ArgumentOutOfRangeException(nameof(lastLetter), "Expected an upper-case letter.");
        LastLetter = lastLetter;
    }

    /// <summary>The last valid letter when the sample has no choices (default D).</summary>
    public char LastLetter { get; }

    /// <inheritdoc />
    public AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goldAnswer);
        ArgumentNullException.ThrowIfNull(modelOutput);
        cancellationToken.ThrowIfCancellationRequested();
        var goldLetter = ReadLetter(AnswerExtraction.SolutionToAnswer(goldAnswer), choices);
        var text = AnswerTextCleanup.FindAnswerText(modelOutput, fallbackToOutput: false);
        if (text is null) return new AnswerCheckResult(false, string.Empty, goldLetter ?? goldAnswer, AnswerCheckStage.NoAnswer);
        var letter = ReadLetter(text, choices);
        bool correct = letter is not null && goldLetter is not null && letter == goldLetter;
        return new AnswerCheckResult(correct, letter ?? text, goldLetter ?? goldAnswer, AnswerCheckStage.MultipleChoice);
    }

    /// <summary>The option letter an answer text designates, or null when none can be read.</summary>
    public string? ReadLetter(string answerText, IReadOnlyDictionary<string, string>? choices)
    {
        ArgumentNullException.ThrowIfNull(answerText);
        var s = AnswerTextCleanup.StripMarkup(answerText);
        if (s.Length == 0) return null;
        var m = LetterPattern().Match(s);
        char letter = m.Success ? m.Groups["l"].Value[0] : '\0';
        // 1. An upper-case letter form: "C", "(C)", "C.", "C) text", "Answer: C".
        if (m.Success && char.IsAsciiLetterUpper(letter) && IsValidLetter(letter, choices)) return letter.ToString();
        // 2. The exact text of one option (options can themselves be lower-case letters such as "a").
        if (choices is not null)
        {
            var norm = NormalizeOption(s);
            var hits = choices.Where(kv => NormalizeOption(kv.Value) == norm).Select(kv => kv.Key).Distinct().ToList();
            if (hits.Count == 1) return hits[0].ToUpperInvariant();
        }
        // 3. A decorated lower-case letter ("(c)", "c.") when no option text is that letter.
        if (m.Success && char.IsAsciiLetterLower(letter))
        {
            bool decorated = m.Groups["p"].Length > 0 || m.Groups["o"].Success || m.Groups["c"].Success || m.Groups["rest"].Success;
            char upper = char.ToUpperInvariant(letter);
            if (decorated && IsValidLetter(upper, choices) && !IsOptionText(letter, choices)) return upper.ToString();
        }
        return null;
    }

    private bool IsValidLetter(char c, IReadOnlyDictionary<string, string>? choices)
        => choices is { Count: > 0 } ? choices.ContainsKey(c.ToString()) : c >= 'A' && c <= LastLetter;

    private static bool IsOptionText(char c, IReadOnlyDictionary<string, string>? choices)
        => choices is not null && choices.Values.Any(v => v.Trim() == c.ToString());

    private static string NormalizeOption(string s)
        => AnswerTextCleanup.StripMarkup(s).TrimEnd('.').Trim().ToLowerInvariant();
}
