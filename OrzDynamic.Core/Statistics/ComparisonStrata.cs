namespace OrzDynamic.Core.Statistics;

/// <summary>Strata of a comparison row.</summary>
public static class ComparisonStrata
{
    /// <summary>Every answer of the dataset, paired by prompt (accuracy: McNemar; metrics: Wilcoxon + paired t).</summary>
    public const string All = "all";

    /// <summary>Answers the checker accepted (different answer sets per checkpoint: Welch).</summary>
    public const string Correct = Results.StratumResult.Names.Correct;

    /// <summary>Answers the checker rejected (Welch).</summary>
    public const string Incorrect = Results.StratumResult.Names.Incorrect;

    /// <summary>The pseudo-metric name of the accuracy row.</summary>
    public const string Accuracy = "accuracy";
}
