using OrzDynamic.Core.Probes;

namespace OrzDynamic.Core.Study;

/// <summary>The answer probes of a study: one checkpoint's answers scored under every checkpoint.</summary>
public sealed record StudyProbes
{
    /// <summary>Name of the probe set (journal and CSV file names), e.g. <c>answers_from_iter2200</c>.</summary>
    public required string SetName { get; init; }

    /// <summary>Name of the checkpoint (or earlier run) whose answers were probed.</summary>
    public required string ReferenceName { get; init; }

    /// <summary>The probed answers.</summary>
    public required IReadOnlyList<ProbeItem> Items { get; init; }

    /// <summary>Positions (in the study's checkpoint list) in the order the probes were scored: the reference first.</summary>
    public required IReadOnlyList<int> Order { get; init; }

    /// <summary>Per-token heatmaps to draw, or null.</summary>
    public HeatmapSelection? Heatmaps { get; init; }

    /// <summary>Tokenizer directory that shows the heatmaps' token texts.</summary>
    public required string TokenizerPath { get; init; }
}
