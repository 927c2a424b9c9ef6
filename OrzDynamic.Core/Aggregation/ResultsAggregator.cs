using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Aggregation;

/// <summary>Builds <see cref="EvalResults"/> from per-sample records: accuracy and the three strata per dataset.</summary>
public static class ResultsAggregator
{
    /// <summary>Per-dataset counts of samples that never reached generation.</summary>
    /// <param name="SkippedTooLong">Prompts over PromptMaxLen.</param>
    /// <param name="SkippedBadRecords">Malformed records skipped on request.</param>
    public readonly record struct SkipCounts(int SkippedTooLong, int SkippedBadRecords);

    /// <summary>
    /// Aggregates <paramref name="records"/>. Accuracy = correct / evaluated. Samples with an
    /// <see cref="SampleRecord.InvalidReason"/> count as evaluated (and correct if the checker said so) but are kept out
    /// of the metric strata and counted as invalid. The records of the listed datasets are kept in
    /// <see cref="EvalResults.Samples"/> for checkpoint comparisons; intervals use <paramref name="confidenceLevel"/>.
    /// </summary>
    public static EvalResults Aggregate(string checkpoint, string? checkpointPath, IEnumerable<SampleRecord> records,
        IReadOnlyCollection<string> datasetNames, IReadOnlyDictionary<string, SkipCounts>? skips = null,
        IReadOnlyDictionary<string, StratumResult>? customSentences = null, double confidenceLevel = Statistics.ConfidenceLevels.Default)
    {
        var all = records.ToArray();
        var byDataset = all.GroupBy(r => r.Dataset).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Index).ToList());
        var datasets = new Dictionary<string, DatasetResult>(StringComparer.Ordinal);
        foreach (var name in datasetNames)
        {
            var list = byDataset.GetValueOrDefault(name) ?? [];
            var valid = list.Where(r => r.InvalidReason is null && r.LdMetrics is not null).ToList();
            var skip = skips?.GetValueOrDefault(name) ?? default;
            datasets[name] = new DatasetResult
            {
                Name = name,
                Evaluated = list.Count,
                Correct = list.Count(r => r.IsCorrect),
                ResponseLenInChar = list.Count == 0 ? double.NaN : list.Average(r => (double)r.Output.Length),
                Invalid = list.Count - valid.Count,
                SkippedTooLong = skip.SkippedTooLong,
                SkippedBadRecords = skip.SkippedBadRecords,
                ContextLimited = list.Count(r => r.FinishReason == Evaluation.FinishReasons.ContextLimit),
                PaddedVocabTokens = list.Sum(r => r.PaddedVocabTokens ?? 0),
                Strata = new Dictionary<string, StratumResult>
                {
                    [StratumResult.Names.Correct] = StratumResult.Of(valid.Where(r => r.IsCorrect).Select(r => r.LdMetrics!).ToArray()),
                    [StratumResult.Names.Incorrect] = StratumResult.Of(valid.Where(r => !r.IsCorrect).Select(r => r.LdMetrics!).ToArray()),
                    [StratumResult.Names.Random] = StratumResult.Of(valid.SelectMany(r => r.SampledTokens?.Metrics ?? []).ToArray()),
                },
            };
        }
        return new EvalResults
        {
            Checkpoint = checkpoint,
            Iteration = checkpointPath is not null && IterationParser.TryParse(checkpointPath, out var it) ? it : null,
            Datasets = datasets,
            CustomSentences = customSentences ?? new Dictionary<string, StratumResult>(),
            ConfidenceLevel = confidenceLevel,
            Samples = all.Where(r => datasets.ContainsKey(r.Dataset)).ToArray(),
        };
    }
}
