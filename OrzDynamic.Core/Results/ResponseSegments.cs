namespace OrzDynamic.Core.Results;

/// <summary>
/// The names of the parts of a response the metrics are reported for: the whole response, and, for responses split at
/// <c>&lt;/think&gt;</c>, the reasoning before it (tags included) and the answer after it. Results keys
/// (<c>ld_correct/think/…</c>), trends and charts use them.
/// </summary>
internal static class ResponseSegments
{
    /// <summary>The whole response (the metrics without a segment name).</summary>
    public const string All = "all";

    /// <summary>The reasoning: every response token before the answer, the think tags included.</summary>
    public const string Think = "think";

    /// <summary>The answer: the response tokens after <c>&lt;/think&gt;</c>.</summary>
    public const string Answer = "answer";

    /// <summary>The two segments a closed response splits into, in report order.</summary>
    public static IReadOnlyList<string> Split { get; } = [Think, Answer];
}
