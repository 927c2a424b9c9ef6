namespace OrzDynamic.Core.Probes;

/// <summary>Names of the strata probes are aggregated into (besides custom-sentence groups).</summary>
public static class ProbeStrata
{
    /// <summary>Reference answers the checker accepted.</summary>
    public const string Correct = "correct";

    /// <summary>Reference answers the checker rejected.</summary>
    public const string Incorrect = "incorrect";

    /// <summary>Every item of a source (custom sentences without a group; also the overall mean of a source).</summary>
    public const string All = "all";
}
