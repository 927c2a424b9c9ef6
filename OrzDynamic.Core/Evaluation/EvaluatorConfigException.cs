namespace OrzDynamic.Core.Evaluation;

/// <summary>Raised when an <see cref="EvaluatorConfig"/> holds invalid values; lists every problem, one per line.</summary>
internal sealed class EvaluatorConfigException : OrzDynamicException
{
    /// <summary>Creates the exception from the individual problems found.</summary>
    public EvaluatorConfigException(IReadOnlyList<string> errors)
        : base(errors.Count == 1 ? "Invalid configuration: " + errors[0] : "Invalid configuration:\n  - " + string.Join("\n  - ", errors))
    {
        Errors = errors;
    }

    /// <summary>Each problem found, e.g. "TopP must be in (0, 1], got 1.5".</summary>
    public IReadOnlyList<string> Errors { get; }
}
