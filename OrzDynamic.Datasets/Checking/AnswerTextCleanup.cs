using System.Text.RegularExpressions;

namespace OrzDynamic.Datasets.Checking;

/// <summary>Helpers shared by the non-math checkers: finding the answer text in an output and stripping markup from it.</summary>
internal static partial class AnswerTextCleanup
{
    [GeneratedRegex(@"\\(?:text|textbf|textit|mathrm|mathbf|mbox|emph)\s*\{([^{}]*)\}", RegexOptions.CultureInvariant, 500)]
    private static partial Regex TextWrapper();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, 500)]
    private static partial Regex Whitespace();

    /// <summary>
    /// The answer text of <paramref name="modelOutput"/>: the unwrapped ORZ final answer (boxed inside answer tags) when
    /// there is one, else the content of the last <c>&lt;answer&gt;…&lt;/answer&gt;</c> (unwrapped if boxed); null when
    /// neither exists and <paramref name="fallbackToOutput"/> is false, else the text after the last <c>&lt;/think&gt;</c>.
    /// </summary>
    public static string? FindAnswerText(string modelOutput, bool fallbackToOutput)
    {
        ArgumentNullException.ThrowIfNull(modelOutput);
        var final = AnswerExtraction.ExtractFinalAnswer(modelOutput);
        if (final.Length > 0) return AnswerExtraction.SolutionToAnswer(final);
        var tag = AnswerExtraction.LastAnswerTagContent(modelOutput);
        if (tag is not null) return AnswerExtraction.SolutionToAnswer(tag);
        if (!fallbackToOutput) return null;
        int think = modelOutput.LastIndexOf("</think>", StringComparison.Ordinal);
        var rest = think >= 0 ? modelOutput[(think + "</think>".Length)..] : modelOutput;
        return AnswerExtraction.SolutionToAnswer(rest);
    }

    /// <summary>
    /// Drops delimiter sizing (<c>\left( … \right)</c> around the whole text is unwrapped, see <see cref="SizedDelimiters"/>),
    /// unwraps <c>\text{…}</c>-like commands (innermost first), removes <c>$</c> and collapses whitespace.
    /// </summary>
    public static string StripMarkup(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = SizedDelimiters.ContainsSizing(text) ? SizedDelimiters.Normalize(text) : text;
        for (int i = 0; i < 10; i++)
        {
            var next = TextWrapper().Replace(s, "$1");
            if (next == s) break;
            s = next;
        }
        s = s.Replace("\\$", "").Replace("$", "").Replace("\\,", " ").Replace("\\ ", " ");
        return Whitespace().Replace(s, " ").Trim();
    }
}
