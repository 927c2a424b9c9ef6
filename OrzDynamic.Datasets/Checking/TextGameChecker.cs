using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Text-game data whose gold answer is an action (e.g. "open gate with key"): normalised exact match. The action is the
/// answer text of the output (boxed/answer tags, else the text after <c>&lt;/think&gt;</c>); normalisation lower-cases,
/// strips markup, quotes, a leading "&gt;" or "action:" and trailing punctuation, and collapses whitespace.
/// </summary>
public sealed partial class TextGameChecker : IAnswerChecker
{
    [GeneratedRegex(@"^(?:>\s*|(?:the\s+)?(?:best\s+)?(?:next\s+)?action\s*(?:is)?\s*[:\-]?\s*)", RegexOptions.CultureInvariant, 500)]
    private static partial Regex Prefix();

    /// <inheritdoc />
    public AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goldAnswer);
        ArgumentNullException.ThrowIfNull(modelOutput);
        cancellationToken.ThrowIfCancellationRequested();
        var gold = NormalizeAction(goldAnswer);
        var text = AnswerTextCleanup.FindAnswerText(modelOutput, fallbackToOutput: true) ?? string.Empty;
        var action = NormalizeAction(text);
        if (action.Length == 0) return new AnswerCheckResult(false, action, gold, AnswerCheckStage.NoAnswer);
        return new AnswerCheckResult(action == gold, action, gold, AnswerCheckStage.TextGame);
    }

    /// <summary>The normalised form of an action used for comparison.</summary>
    public static string NormalizeAction(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var lines = action.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var s = AnswerTextCleanup.StripMarkup(lines.Length > 0 ? lines[0] : string.Empty).ToLowerInvariant();
        s = s.Trim().Trim('"', '\'', '`', '*').Trim();
        s = Prefix().Replace(s, "");
        s = s.Trim().Trim('"', '\'', '`', '*').TrimEnd('.', '!', '?', ';').Trim();
        return s;
    }
}
