namespace OrzDynamic.Datasets.Loading;

/// <summary>The result of <see cref="EvalDataLoader.Load"/>.</summary>
/// <param name="Samples">The selected samples, in file order then record order.</param>
/// <param name="Files">Per-file statistics, in the order the files were given.</param>
/// <param name="SkippedInvalidRecords">Malformed records skipped (only with <see cref="EvalDataOptions.SkipInvalidRecords"/>).</param>
/// <param name="InvalidRecordErrors">The problems of the skipped records.</param>
/// <param name="SkippedLongPrompts">Records skipped because the prompt exceeded <see cref="EvalDataOptions.PromptMaxLen"/>.</param>
public sealed record EvalDataSet(
    IReadOnlyList<EvalSample> Samples,
    IReadOnlyList<EvalFileSummary> Files,
    int SkippedInvalidRecords,
    IReadOnlyList<DataRecordError> InvalidRecordErrors,
    int SkippedLongPrompts)
{
    /// <summary>The dataset names, in file order.</summary>
    public IReadOnlyList<string> DatasetNames => Files.Select(f => f.DatasetName).ToList();
}
