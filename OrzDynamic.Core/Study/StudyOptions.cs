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

    /// <summary>Draws the fixed-text trend charts and heatmaps; null draws none.</summary>
    public IFixedResponseChartWriter? FixedResponseCharts { get; init; }

    /// <summary>Custom sentence files scored at every checkpoint (their trends are added for two or more checkpoints).</summary>
    public IReadOnlyList<string> CustomSentenceFiles { get; init; } = [];

    /// <summary>Single-text lines per fixed-text trend chart.</summary>
    public int FixedItemLines { get; init; } = Defaults.FixedItemLines;

    /// <summary>The answer probes, or null.</summary>
    public StudyProbes? Probes { get; init; }
}
