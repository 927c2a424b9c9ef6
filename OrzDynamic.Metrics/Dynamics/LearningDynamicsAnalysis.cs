namespace OrzDynamic.Metrics;

/// <summary>Result of <see cref="LearningDynamics.AnalyzeLearningDynamics"/>.</summary>
public sealed record LearningDynamicsAnalysis
{
    /// <summary>Means over the rows, total valid tokens and pooled argmax match rate.</summary>
    public required LearningDynamicsSummary Summary { get; init; }

    /// <summary>Per-row metrics (arrays of length B).</summary>
    public required BatchMetrics PerSample { get; init; }

    /// <summary>
    /// Per sample type (when sample types were given): the analysis of the rows of that type, in order of first
    /// appearance; empty otherwise. Nested analyses have no further sample types.
    /// </summary>
    public required IReadOnlyDictionary<string, LearningDynamicsAnalysis> SampleTypes { get; init; }
}
