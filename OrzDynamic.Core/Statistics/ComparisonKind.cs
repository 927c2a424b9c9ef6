namespace OrzDynamic.Core.Statistics;

/// <summary>Which earlier checkpoint a checkpoint is compared with.</summary>
public enum ComparisonKind
{
    /// <summary>The checkpoint just before it (by iteration).</summary>
    Previous,

    /// <summary>The first checkpoint (only from the third checkpoint on; for the second it equals <see cref="Previous"/>).</summary>
    First,
}
