using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// Answer equivalence for majority voting (maj@K), by a dataset's own answer checker: two extracted answers are the
/// same answer when the checker accepts the second against the first as gold (so <c>1/2</c> and <c>0.5</c> are one
/// answer under the math checker). Each call is one check, bounded by the checker's own time limit; a check over the
/// limit counts as "not equivalent".
/// </summary>
internal static class CheckerEquivalence
{
    /// <summary>The equivalence of <paramref name="checker"/>, checks cancelled by <paramref name="cancellationToken"/>.</summary>
    public static Func<string, string, bool> Of(IAnswerChecker checker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checker);
        return (representative, answer) => checker.Check(representative, answer, null, cancellationToken).IsCorrect;
    }

    /// <summary>The equivalence of each dataset's checker.</summary>
    public static IReadOnlyDictionary<string, Func<string, string, bool>> Of(IReadOnlyDictionary<string, IAnswerChecker> checkers,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkers);
        return checkers.ToDictionary(kv => kv.Key, kv => Of(kv.Value, cancellationToken), StringComparer.Ordinal);
    }
}
