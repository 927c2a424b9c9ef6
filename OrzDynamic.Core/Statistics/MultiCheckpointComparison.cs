using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Statistics;

/// <summary>
/// Checkpoint comparisons from the same input as the multi-checkpoint trend aggregation: checkpoint key (path or label)
/// → <see cref="EvalResults"/>, iteration from the last <c>iter(\d+)</c> of the key, else
/// <see cref="EvalResults.Iteration"/>, else the position in the order given.
/// </summary>
internal static class MultiCheckpointComparison
{
    /// <summary>Compares every checkpoint with the previous and the first one.</summary>
    /// <exception cref="ArgumentException">Results that evaluated samples carry no per-sample records (read back from a summary),
    /// or two checkpoints share an iteration.</exception>
    public static ComparisonReport Compare(IReadOnlyDictionary<string, EvalResults> resultsByCheckpoint,
        ComparisonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resultsByCheckpoint);
        var samples = new List<CheckpointSamples>();
        int order = 0;
        foreach (var (key, results) in resultsByCheckpoint)
        {
            int iteration = IterationParser.TryParse(key, out var it) ? it : results.Iteration ?? order;
            order++;
            if (results.Samples.Count == 0 && results.Datasets.Values.Any(d => d.Evaluated > 0))
                throw new ArgumentException(
                    $"Results of '{key}' carry no per-sample records (read back from a summary?); load them with CheckpointSamples.Load(<results.jsonl>).",
                    nameof(resultsByCheckpoint));
            samples.Add(CheckpointSamples.FromResults(results, iteration));
        }
        return new CheckpointComparer(options).Compare(samples, cancellationToken);
    }
}
