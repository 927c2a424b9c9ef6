namespace OrzDynamic.Core.Results;

/// <summary>
/// The names of the strata answers are aggregated and compared in, one vocabulary for results keys
/// (<c>ld_correct/…</c>), comparison rows, probe trends and charts (the chart enum <c>Stratum</c> is the same
/// three as an enum).
/// </summary>
public static class Strata
{
    /// <summary>Answers the checker accepted.</summary>
    public const string Correct = "correct";

    /// <summary>Answers the checker rejected.</summary>
    public const string Incorrect = "incorrect";

    /// <summary>Single response positions chosen at random (the random-token control).</summary>
    public const string Random = "random";

    /// <summary>Every answer (or every item of a probe source or custom sentence file).</summary>
    public const string All = "all";

    /// <summary>The three strata of an evaluated dataset, in chart order.</summary>
    public static IReadOnlyList<string> Ordered { get; } = [Correct, Incorrect, Random];
}
