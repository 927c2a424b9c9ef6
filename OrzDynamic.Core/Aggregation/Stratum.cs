namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// The answer strata the learning-dynamics evaluator aggregates its per-answer metrics over.
/// Display names and chart colours are provided by <see cref="Results.Strata"/>.
/// </summary>
public enum Stratum
{
    /// <summary>Model answers judged correct against the reference.</summary>
    Correct = 0,

    /// <summary>Model answers judged incorrect against the reference.</summary>
    Incorrect = 1,

    /// <summary>Random-token control answers (a baseline that carries no task signal).</summary>
    Random = 2,
}
