namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Majority voting over the answers a model gave to one prompt (maj@k), where "the same answer" means equivalent under
/// an answer checker (<c>1/2</c> and <c>0.5</c> are one vote), not equal strings.
/// <para>
/// Rule: answers are taken in sample order; each joins the first earlier class whose representative (its first
/// answer) is equivalent to it, else opens a class. Empty answers (nothing extracted) do not vote. The class with the
/// most members wins; on a tie, the class whose first answer came earliest. The equivalence is called at most once
/// per (answer, class) pair, so at most k(k−1)/2 times.
/// </para>
/// </summary>
internal static class MajorityVote
{
    /// <summary>
    /// The index (into <paramref name="answers"/>) of the winning class's first answer, with the class's size; null when
    /// every answer is empty.
    /// </summary>
    /// <param name="answers">The extracted answers, in sample order.</param>
    /// <param name="equivalent">Answer equivalence (symmetric); called with (representative, answer).</param>
    /// <param name="cancellationToken">Checked between calls of <paramref name="equivalent"/>.</param>
    public static (int Representative, int Votes)? Winner(IReadOnlyList<string> answers, Func<string, string, bool> equivalent,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(equivalent);
        var representatives = new List<int>();
        var votes = new List<int>();
        for (int i = 0; i < answers.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(answers[i])) continue;
            int joined = -1;
            for (int c = 0; c < representatives.Count && joined < 0; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (equivalent(answers[representatives[c]], answers[i])) joined = c;
            }
            if (joined >= 0) votes[joined]++;
            else
            {
                representatives.Add(i);
                votes.Add(1);
            }
        }
        if (representatives.Count == 0) return null;
        int best = 0;
        for (int c = 1; c < votes.Count; c++)
            if (votes[c] > votes[best]) best = c;          // strict: on a tie the earlier class stays
        return (representatives[best], votes[best]);
    }
}
