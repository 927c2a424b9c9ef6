namespace OrzDynamic.Metrics;

/// <summary>Options for <see cref="LearningDynamics"/> and <see cref="LearningDynamicsAccumulator"/>.</summary>
public sealed record MetricsOptions
{
    /// <summary>The default number of positions reduced at once (see <see cref="ChunkSize"/>).</summary>
    public const int DefaultChunkSize = 64;

    /// <summary>Options with every default.</summary>
    public static MetricsOptions Default { get; } = new();

    /// <summary>
    /// Number of positions whose logits rows are reduced together. Extra memory is O(ChunkSize × V) elements of the
    /// compute type (one working buffer, plus one up-cast copy when the logits are not already in that type);
    /// results do not depend on it. Must be positive.
    /// </summary>
    public int ChunkSize { get; init; } = DefaultChunkSize;

    /// <summary>Compute/accumulation precision. Float32 by default.</summary>
    public MetricsPrecision Precision { get; init; } = MetricsPrecision.Float32;

    /// <summary>
    /// Reproduce the ORZ fork's clamped A_norm so numbers line up with existing ORZ logs:
    /// s = min(mean‖p‖, 200); s² = min(s², 0.3); A = sqrt(min(V·s² + V − 2, 50000)). Other metrics are unaffected.
    /// </summary>
    public bool LegacyOrzClamps { get; init; }

    /// <summary>Which implementation reduces the logits rows (<see cref="MetricsKernel.Auto"/> by default). Both give
    /// the same metrics to float32 rounding (about 1e-6 relative); a given kernel is deterministic and independent of
    /// the chunk size and thread count.</summary>
    public MetricsKernel Kernel { get; init; } = MetricsKernel.Auto;

    /// <summary>Keep per-position traces (log p(label), p_max, argmax) for "per-token traces on request".</summary>
    public bool CollectTokenTraces { get; init; }

    internal void Validate()
    {
        if (ChunkSize <= 0)
            throw new ArgumentException($"MetricsOptions.ChunkSize must be positive, got {ChunkSize}.", nameof(ChunkSize));
        if (!Enum.IsDefined(Precision))
            throw new ArgumentException($"MetricsOptions.Precision has an unknown value {(int)Precision}.", nameof(Precision));
        if (!Enum.IsDefined(Kernel))
            throw new ArgumentException($"MetricsOptions.Kernel has an unknown value {(int)Kernel}.", nameof(Kernel));
    }
}
