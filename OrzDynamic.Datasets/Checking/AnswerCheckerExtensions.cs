using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Datasets.Checking;

/// <summary>Convenience extensions for <see cref="IAnswerChecker"/>.</summary>
public static class AnswerCheckerExtensions
{
    /// <summary>Checks <paramref name="modelOutput"/> against <paramref name="sample"/>'s gold answer (and choices).</summary>
    public static AnswerCheckResult Check(this IAnswerChecker checker, EvalSample sample, string modelOutput, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checker);
        ArgumentNullException.ThrowIfNull(sample);
        return checker.Check(sample.Answer, modelOutput, sample.Choices, cancellationToken);
    }
}
