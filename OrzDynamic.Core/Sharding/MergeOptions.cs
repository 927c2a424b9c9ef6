using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;

namespace OrzDynamic.Core.Sharding;

/// <summary>How to merge a sharded run.</summary>
public sealed record MergeOptions
{
    /// <summary>Aggregate what exists even when units are missing; summaries are then marked <c>"partial": true</c>.</summary>
    public bool Partial { get; init; }

    /// <summary>
    /// Draws the comparison and trend charts (e.g. OrzDynamic.Plotting's <c>PngChartWriter</c>), as a single-process
    /// run does with <c>Evaluator.ChartWriter</c>; null writes no charts.
    /// </summary>
    public IChartWriter? ChartWriter { get; init; }

    /// <summary>Draws the fixed-text trend charts and heatmaps (custom sentences, answer probes); null draws none.</summary>
    public IFixedResponseChartWriter? FixedResponseChartWriter { get; init; }

    /// <summary>Single-text lines per fixed-text trend chart.</summary>
    public int FixedItemLines { get; init; } = Defaults.FixedItemLines;
}
