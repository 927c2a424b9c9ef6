namespace OrzDynamic.Core.Aggregation;

/// <summary>Builds <see cref="EvalResults"/> from per-sample records: accuracy and the three strata per dataset.</summary>
internal static class ResultsAggregator
{
    /// <summary>Per-dataset counts of samples that never reached generation.</summary>
    /// <param name="SkippedTooLong">Prompts over PromptMaxLen.</param>
    /// <param name="SkippedBadRecords">Malformed records skipped on request.</param>
    public readonly record struct SkipCounts(int SkippedTooLong, int SkippedBadRecords);

    /// <summary>
    /// Aggregates <paramref name="records"/>. Accuracy = correct / evaluated. Samples with an
    /// <see cref="SampleRecord.InvalidReason"/> count as evaluated (and correct if the checker said so) but are kept out
    /// of the metric strata and counted as invalid. Records are fed per dataset in ascending index order through the
    /// streaming <see cref="DatasetAccumulator"/>, exactly as a sharded merge does. The records of the listed datasets
    /// are kept in <see cref="EvalResults.Samples"/> for checkpoint comparisons; intervals use <paramref name="confidenceLevel"/>.
    /// With <paramref name="samplesPerPrompt"/> &gt; 1, records are taken by (index, sample number) and each dataset also
    /// gets its <see cref="MultiSampleResult"/>, maj@K by the dataset's <paramref name="equivalence"/>.
    /// </summary>
    public static EvalResults Aggregate(string checkpoint, string? checkpointPath, IEnumerable<SampleRecord> records,
        IReadOnlyCollection<string> datasetNames, IReadOnlyDictionary<string, SkipCounts>? skips = null,
        IReadOnlyDictionary<string, StratumResult>? customSentences = null, double confidenceLevel = Statistics.ConfidenceLevels.Default,
        int samplesPerPrompt = 1, IReadOnlyDictionary<string, Func<string, string, bool>>? equivalence = null)
    {
        var all = records.ToArray();
        var byDataset = all.GroupBy(r => r.Dataset).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Index).ThenBy(r => r.Sample ?? 0).ToList());
        var accumulators = new List<DatasetAccumulator>();
        foreach (var name in datasetNames)
        {
            var acc = new DatasetAccumulator(name, samplesPerPrompt, equivalence?.GetValueOrDefault(name));
            foreach (var r in byDataset.GetValueOrDefault(name) ?? []) acc.Add(r);
            accumulators.Add(acc);
        }
        var listed = new HashSet<string>(datasetNames, StringComparer.Ordinal);
        return Build(checkpoint, checkpointPath, accumulators, skips, customSentences, confidenceLevel,
            all.Where(r => listed.Contains(r.Dataset)).ToArray());
    }

    /// <summary>
    /// Builds the results of one checkpoint from streamed per-dataset accumulators (in dataset order). A streaming caller
    /// passes no <paramref name="samples"/> (<see cref="EvalResults.Samples"/> stays empty; comparisons then load the
    /// records from results.jsonl, see <c>CheckpointSamples.Load</c>).
    /// </summary>
    public static EvalResults Build(string checkpoint, string? checkpointPath, IEnumerable<DatasetAccumulator> datasets,
        IReadOnlyDictionary<string, SkipCounts>? skips = null, IReadOnlyDictionary<string, StratumResult>? customSentences = null,
        double confidenceLevel = Statistics.ConfidenceLevels.Default, IReadOnlyCollection<SampleRecord>? samples = null)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        var results = new Dictionary<string, DatasetResult>(StringComparer.Ordinal);
        foreach (var acc in datasets)
        {
            var skip = skips?.GetValueOrDefault(acc.Name) ?? default;
            results[acc.Name] = acc.ToResult(skip.SkippedTooLong, skip.SkippedBadRecords);
        }
        return new EvalResults
        {
            Checkpoint = checkpoint,
            Iteration = checkpointPath is not null && IterationParser.TryParse(checkpointPath, out var it) ? it : null,
            Datasets = results,
            CustomSentences = customSentences ?? new Dictionary<string, StratumResult>(),
            ConfidenceLevel = confidenceLevel,
            Samples = samples ?? [],
        };
    }
}
