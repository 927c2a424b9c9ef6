namespace OrzDynamic.Core.Sharding;

/// <summary>What a merge produced.</summary>
/// <param name="Checkpoints">The merged checkpoints, in plan order (their results are in their directories' <c>summary.json</c>).</param>
/// <param name="Missing">Units that were not complete (only with <see cref="MergeOptions.Partial"/>).</param>
/// <param name="Records">Sample records merged.</param>
/// <param name="Files">Files written.</param>
public sealed record MergeResult(IReadOnlyList<MergedCheckpoint> Checkpoints, IReadOnlyList<UnitStatus> Missing, long Records, IReadOnlyList<string> Files)
{
    /// <summary>Whether units were missing.</summary>
    public bool IsPartial => Missing.Count > 0;
}
