namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Tests whether results changed between checkpoints. Every checkpoint is compared with the previous one and, from the
/// third on, with the first. Per dataset and comparison:
/// <list type="bullet">
/// <item><b>accuracy</b>: exact McNemar over the prompts evaluated at both checkpoints;</item>
/// <item><b>each metric, all answers</b>: Wilcoxon signed-rank over the prompts with a valid answer at both (the paired
/// t-test and the mean difference with its interval alongside);</item>
/// <item><b>each metric, correct / incorrect answers</b>: Welch's t (the answer sets differ between checkpoints).</item>
/// </list>
/// With several answers per prompt (at either checkpoint) the prompt is the unit: each prompt contributes the mean
/// over its answers, accuracy is compared by the paired t-test of per-prompt accuracies, each metric over all answers by
/// Wilcoxon signed-rank (and paired t) on per-prompt means, and the correct / incorrect strata by Welch's t on the
/// per-prompt means of the answers in the stratum.
/// Holm–Bonferroni adjusts the p-values of these tests within one dataset × comparison. Samples missing or invalid at
/// one of the two checkpoints are left out of the pairs and counted (<see cref="ComparisonRow.Unpaired"/>). The random
/// token stratum is not tested: its positions within one answer are not independent observations.
/// </summary>
public sealed class CheckpointComparer
{
    private readonly ComparisonOptions _options;

    /// <summary>Creates a comparer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Invalid options.</exception>
    public CheckpointComparer(ComparisonOptions? options = null)
    {
        _options = options ?? new ComparisonOptions();
        _options.Validate();
    }

    /// <summary>Compares every checkpoint with the previous and the first (checkpoints are ordered by iteration).</summary>
    /// <exception cref="ArgumentException">Two checkpoints have the same iteration.</exception>
    public ComparisonReport Compare(IReadOnlyCollection<CheckpointSamples> checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var all = checkpoints.ToArray();
        var rows = new List<ComparisonRow>();
        CompareInOrder(all.Select(c => (c.Checkpoint, c.Iteration)).ToArray(), k => all[k], rows.AddRange, cancellationToken);
        return new ComparisonReport
        {
            ConfidenceLevel = _options.ConfidenceLevel,
            Alpha = _options.Alpha,
            Rows = rows.OrderBy(r => r.Dataset, StringComparer.Ordinal).ThenBy(r => r.ToIteration).ThenBy(r => r.Kind).ToArray(),
        };
    }

    /// <summary>
    /// The pairing of every comparison: checkpoints ordered by iteration, each compared with the previous one and (from the
    /// third on) with the first. <paramref name="load"/> reads the samples of a checkpoint (by its position in
    /// <paramref name="checkpoints"/>) when it is needed, so at most three are held at a time; the rows of each pair go
    /// to <paramref name="rows"/> as they are made (per dataset in report order).
    /// </summary>
    /// <exception cref="ArgumentException">Two checkpoints have the same iteration.</exception>
    internal void CompareInOrder(IReadOnlyList<(string Name, int Iteration)> checkpoints, Func<int, CheckpointSamples> load,
        Action<IReadOnlyList<ComparisonRow>> rows, CancellationToken cancellationToken)
    {
        var order = Enumerable.Range(0, checkpoints.Count).OrderBy(k => checkpoints[k].Iteration).ToArray();
        for (int i = 1; i < order.Length; i++)
            if (checkpoints[order[i]].Iteration == checkpoints[order[i - 1]].Iteration)
                throw new ArgumentException($"Checkpoints '{checkpoints[order[i - 1]].Name}' and '{checkpoints[order[i]].Name}' share iteration {checkpoints[order[i]].Iteration}.", nameof(checkpoints));
        if (order.Length < 2) return;
        var first = load(order[0]);
        var previous = first;
        for (int i = 1; i < order.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = load(order[i]);
            rows(ComparePair(previous, current, ComparisonKind.Previous));
            if (i >= 2) rows(ComparePair(first, current, ComparisonKind.First));
            previous = current;
        }
    }

    /// <summary>All rows of one comparison (every dataset present at either checkpoint), Holm-adjusted per dataset.</summary>
    public IReadOnlyList<ComparisonRow> ComparePair(CheckpointSamples from, CheckpointSamples to, ComparisonKind kind)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var rows = new List<ComparisonRow>();
        foreach (var dataset in from.Datasets.Union(to.Datasets).Order(StringComparer.Ordinal))
            rows.AddRange(Adjust(CompareDataset(from, to, kind, dataset)));
        return rows;
    }

    private List<ComparisonRow> CompareDataset(CheckpointSamples from, CheckpointSamples to, ComparisonKind kind, string dataset)
    {
        if (from.SamplesPerPrompt > 1 || to.SamplesPerPrompt > 1) return CompareClustered(from, to, kind, dataset);
        double level = _options.ConfidenceLevel;
        var rows = new ComparisonRowFamily(from, to, kind, dataset);
        var a = rows.OfDataset(from.Records);
        var b = rows.OfDataset(to.Records);

        // Accuracy: every sample evaluated at both checkpoints (invalid ones were still checked).
        var both = a.Keys.Intersect(b.Keys).Order().ToArray();
        int unpairedAll = a.Count + b.Count - 2 * both.Length;
        int onlyFrom = both.Count(i => a[i].IsCorrect && !b[i].IsCorrect);
        int onlyTo = both.Count(i => !a[i].IsCorrect && b[i].IsCorrect);
        rows.Add(ComparisonRow.AccuracyMetric, Strata.All, McNemarExactTest.Test(onlyFrom, onlyTo, both.Length, level),
            both.Length, both.Length, unpairedAll,
            both.Length == 0 ? null : both.Average(i => a[i].IsCorrect ? 1.0 : 0.0),
            both.Length == 0 ? null : both.Average(i => b[i].IsCorrect ? 1.0 : 0.0));

        var validA = a.Values.Where(Valid).ToArray();
        var validB = b.Values.Where(Valid).ToArray();
        var pairs = both.Where(i => Valid(a[i]) && Valid(b[i])).ToArray();
        int unpairedValid = validA.Length + validB.Length - 2 * pairs.Length;
        foreach (var metric in _options.Metrics)
        {
            var x = pairs.Select(i => a[i].LdMetrics!.Get(metric)).ToArray();
            var y = pairs.Select(i => b[i].LdMetrics!.Get(metric)).ToArray();
            var d = x.Zip(y, (p, q) => q - p).ToArray();
            rows.Add(metric, Strata.All, WilcoxonSignedRankTest.Test(d), pairs.Length, pairs.Length, unpairedValid,
                MeanOrNull(x), MeanOrNull(y), PairedTTest.Test(d, level));
            foreach (var (stratum, correct) in new[] { (Strata.Correct, true), (Strata.Incorrect, false) })
            {
                var s1 = validA.Where(r => r.IsCorrect == correct).Select(r => r.LdMetrics!.Get(metric)).ToArray();
                var s2 = validB.Where(r => r.IsCorrect == correct).Select(r => r.LdMetrics!.Get(metric)).ToArray();
                rows.Add(metric, stratum, WelchTTest.Test(s1, s2, level), s1.Length, s2.Length, 0, MeanOrNull(s1), MeanOrNull(s2));
            }
        }
        return rows.Rows;
    }

    /// <summary>The rows of one dataset with several answers per prompt: tests on per-prompt means.</summary>
    private List<ComparisonRow> CompareClustered(CheckpointSamples from, CheckpointSamples to, ComparisonKind kind, string dataset)
    {
        double level = _options.ConfidenceLevel;
        var rows = new ComparisonRowFamily(from, to, kind, dataset);
        var a = rows.OfDataset(from.Prompts);
        var b = rows.OfDataset(to.Prompts);
        static double Accuracy(IReadOnlyList<SampleRecord> answers) => answers.Average(r => r.IsCorrect ? 1.0 : 0.0);
        static double? MeanOf(IEnumerable<SampleRecord> answers, string metric)
        {
            var values = answers.Where(Valid).Select(r => r.LdMetrics!.Get(metric)).ToArray();
            return values.Length == 0 ? null : values.Average();
        }

        var both = a.Keys.Intersect(b.Keys).Order().ToArray();
        int unpaired = a.Count + b.Count - 2 * both.Length;
        var accFrom = both.Select(i => Accuracy(a[i])).ToArray();
        var accTo = both.Select(i => Accuracy(b[i])).ToArray();
        var accTest = PairedTTest.Test(accTo.Zip(accFrom, (q, p) => q - p).ToArray(), level);
        rows.Add(ComparisonRow.AccuracyMetric, Strata.All, accTest, both.Length, both.Length, unpaired,
            MeanOrNull(accFrom), MeanOrNull(accTo), accTest);

        foreach (var metric in _options.Metrics)
        {
            var pairs = both.Select(i => (From: MeanOf(a[i], metric), To: MeanOf(b[i], metric))).Where(p => p.From is not null && p.To is not null).ToArray();
            var x = pairs.Select(p => p.From!.Value).ToArray();
            var y = pairs.Select(p => p.To!.Value).ToArray();
            var d = x.Zip(y, (p, q) => q - p).ToArray();
            int withValid = a.Values.Count(v => v.Any(Valid)) + b.Values.Count(v => v.Any(Valid));
            rows.Add(metric, Strata.All, WilcoxonSignedRankTest.Test(d), pairs.Length, pairs.Length, withValid - 2 * pairs.Length,
                MeanOrNull(x), MeanOrNull(y), PairedTTest.Test(d, level));
            foreach (var (stratum, correct) in new[] { (Strata.Correct, true), (Strata.Incorrect, false) })
            {
                var s1 = a.Values.Select(v => MeanOf(v.Where(r => r.IsCorrect == correct), metric)).OfType<double>().ToArray();
                var s2 = b.Values.Select(v => MeanOf(v.Where(r => r.IsCorrect == correct), metric)).OfType<double>().ToArray();
                rows.Add(metric, stratum, WelchTTest.Test(s1, s2, level), s1.Length, s2.Length, 0, MeanOrNull(s1), MeanOrNull(s2));
            }
        }
        return rows.Rows;
    }

    private IEnumerable<ComparisonRow> Adjust(List<ComparisonRow> family)
    {
        var adjusted = HolmBonferroni.Adjust(family.Select(r => r.Test.PValue).ToArray());
        return family.Select((r, i) => r with { AdjustedP = adjusted[i], Significant = adjusted[i] is { } p && p < _options.Alpha });
    }

    /// <summary>An answer whose metrics enter the tests: not invalid, with valid metrics.</summary>
    private static bool Valid(SampleRecord r) => r.InvalidReason is null && r.LdMetrics is { IsValid: true };

    private static double? MeanOrNull(double[] values) => values.Length == 0 ? null : values.Average();
}
