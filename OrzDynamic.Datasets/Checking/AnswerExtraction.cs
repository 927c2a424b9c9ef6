namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Extracts answers from model outputs and gold solutions exactly as the Python ORZ tool does:
/// the final answer of an output is the last match of <c>&lt;answer&gt;.*?(\\boxed{.*}).*?&lt;/answer&gt;</c>
/// (dot matches newline, greedy inner <c>.*</c>), and "solution to answer" unwraps the last
/// <c>\boxed{…}</c> / <c>\fbox{…}</c> with balanced braces.
/// </summary>
/// <remarks>
/// The regular expression is evaluated by an equivalent linear-time scan (no backtracking, so no input can make
/// extraction slow). Because the inner <c>.*</c> is greedy, the pattern can match at most once in a string:
/// the group runs from the first <c>\boxed{</c> after the first <c>&lt;answer&gt;</c> to the last <c>}</c> that
/// precedes the last <c>&lt;/answer&gt;</c>.
/// </remarks>
internal static class AnswerExtraction
{
    private const string AnswerOpen = "<answer>";
    private const string AnswerClose = "</answer>";
    private const string BoxedOpen = "\\boxed{";

    /// <summary>
    /// The Python tool's <c>final_answer</c>: the last match of <c>&lt;answer&gt;.*?(\\boxed{.*}).*?&lt;/answer&gt;</c>
    /// (DOTALL) in <paramref name="output"/>, or the empty string when there is none.
    /// </summary>
    public static string ExtractFinalAnswer(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int a = output.IndexOf(AnswerOpen, StringComparison.Ordinal);
        if (a < 0) return string.Empty;
        int b = output.IndexOf(BoxedOpen, a + AnswerOpen.Length, StringComparison.Ordinal);
        if (b < 0) return string.Empty;
        int lastClose = output.LastIndexOf(AnswerClose, StringComparison.Ordinal);
        if (lastClose < 0) return string.Empty;
        // Greedy ".*" then "}" : the last '}' strictly before the last "</answer>" start, after the "{" of \boxed{.
        int c = lastClose - 1 >= 0 ? output.LastIndexOf('}', lastClose - 1) : -1;
        if (c < b + BoxedOpen.Length) return string.Empty;
        return output.Substring(b, c - b + 1);
    }

    /// <summary>
    /// The last <c>\boxed…</c> (or, when there is none, <c>\fbox…</c>) up to its balanced closing brace, or null when
    /// there is none or its braces never balance (Hendrycks' <c>last_boxed_only_string</c>).
    /// </summary>
    public static string? LastBoxedOnly(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int idx = text.LastIndexOf("\\boxed", StringComparison.Ordinal);
        if (idx < 0)
        {
            idx = text.LastIndexOf("\\fbox", StringComparison.Ordinal);
            if (idx < 0) return null;
        }
        int open = 0;
        for (int i = idx; i < text.Length; i++)
        {
            if (text[i] == '{') open++;
            else if (text[i] == '}')
            {
                open--;
                if (open == 0) return text.Substring(idx, i - idx + 1);
            }
        }
        return null;
    }

    /// <summary>
    /// Unwraps <c>\boxed{X}</c> or <c>\fbox{X}</c> to <c>X</c>; null when <paramref name="boxed"/> is not of that form.
    /// </summary>
    public static string? RemoveBoxed(string? boxed)
    {
        if (boxed is null) return null;
        foreach (var prefix in new[] { "\\boxed{", "\\fbox{" })
        {
            if (boxed.Length >= prefix.Length + 1 && boxed.StartsWith(prefix, StringComparison.Ordinal) && boxed[^1] == '}')
                return boxed.Substring(prefix.Length, boxed.Length - prefix.Length - 1);
        }
        return null;
    }

    /// <summary>
    /// "Solution to answer": the content of the last balanced <c>\boxed{…}</c>/<c>\fbox{…}</c>, or the string itself
    /// when it has none. Applied to both the gold answer and the extracted final answer before comparison.
    /// </summary>
    public static string SolutionToAnswer(string solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        return RemoveBoxed(LastBoxedOnly(solution)) ?? solution;
    }

    /// <summary>
    /// The text inside the last <c>&lt;answer&gt;…&lt;/answer&gt;</c> pair (trimmed), or null when there is none.
    /// Used by the non-math checkers as a fallback when the answer is not boxed.
    /// </summary>
    public static string? LastAnswerTagContent(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int close = output.LastIndexOf(AnswerClose, StringComparison.Ordinal);
        if (close < 0) return null;
        if (close == 0) return null;
        int open = output.LastIndexOf(AnswerOpen, close - 1, StringComparison.Ordinal);
        if (open < 0) return null;
        return output.Substring(open + AnswerOpen.Length, close - open - AnswerOpen.Length).Trim();
    }
}
