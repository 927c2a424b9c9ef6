namespace OrzDynamic.Datasets.Checking;

/// <summary>Decides whether a model output answers a sample correctly.</summary>
public interface IAnswerChecker
{
    /// <summary>Checks <paramref name="modelOutput"/> against <paramref name="goldAnswer"/>.</summary>
    /// <param name="goldAnswer">The sample's gold answer (for multiple choice: the gold letter).</param>
    /// <param name="modelOutput">The full generated text.</param>
    /// <param name="choices">Options by letter for multiple-choice samples, else null.</param>
    /// <param name="cancellationToken">Cancels the check (a check is also bounded by its own time limit).</param>
    AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
        CancellationToken cancellationToken = default);
}
