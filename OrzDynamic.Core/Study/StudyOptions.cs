using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;

namespace OrzDynamic.Core.Study;

/// <summary>Settings of <see cref="MultiCheckpointStudy.Finish"/>.</summary>
public sealed record StudyOptions
{
    /// <summary>Level of the effect intervals of the comparisons.</summary>
    public double ConfidenceLevel { get; init; } = Defaults.ConfidenceLevel;

    /// <summary>Draws the trend charts; null draws none.</summary>
    public IChartWriter? Charts { get; init; }

    /// <summary>
    /// The response segment the trend charts show: <c>all</c> (default), <c>think</c> or <c>answer</c>
    /// (<see cref="Results.ResponseSegments"/>; the latter two need results with think segments). trends.csv holds all three either way.
    /// </summary>
    public string TrendSegment { get; init; } = Results.ResponseSegments.All;

    /// <summary>Draws the fixed-text trend charts and heatmaps; null draws none.</summary>
    public IFixedResponseChartWriter? FixedResponseCharts { get; init; }

    /// <summary>Custom sentence files scored at every checkpoint (their trends are added for two or more checkpoints).</summary>
    public IReadOnlyList<string> CustomSentenceFiles { get; init; } = [];

    /// <summary>Single-text lines per fixed-text trend chart.</summary>
    public int FixedItemLines { get; init; } = Defaults.FixedItemLines;

    /// <summary>The answer probes, or null.</summary>
    public StudyProbes? Probes { get; init; }
}
