using OrzDynamic.Core.Statistics;

namespace OrzDynamic.Core.Study;

/// <summary>What <see cref="MultiCheckpointStudy.Finish"/> wrote.</summary>
/// <param name="Comparisons">Summary of the checkpoint comparisons (null for fewer than two checkpoints).</param>
/// <param name="ComparisonFiles"><c>comparisons.csv</c> and <c>comparisons.json</c> (empty for fewer than two checkpoints).</param>
/// <param name="TrendFiles"><c>trends.csv</c> and the trend charts (empty for fewer than two checkpoints).</param>
/// <param name="FixedResponseFiles">Probe trend CSV, <c>trends.csv</c> again (when fixed-text rows were appended), fixed-text charts and heatmaps.</param>
public sealed record StudyResult(ComparisonSummary? Comparisons, IReadOnlyList<string> ComparisonFiles, IReadOnlyList<string> TrendFiles,
    IReadOnlyList<string> FixedResponseFiles)
{
    /// <summary>Every file written, in the order written.</summary>
    public IEnumerable<string> Files => ComparisonFiles.Concat(TrendFiles).Concat(FixedResponseFiles);
}
