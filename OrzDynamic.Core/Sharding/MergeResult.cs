using OrzDynamic.Core.Results;

namespace OrzDynamic.Core.Sharding;

/// <summary>What a merge produced.</summary>
/// <param name="Results">Results per checkpoint (path as given → results), in plan order.</param>
/// <param name="Missing">Units that were not complete (only with <see cref="MergeOptions.Partial"/>).</param>
/// <param name="Records">Sample records merged.</param>
/// <param name="Files">Files written.</param>
public sealed record MergeResult(IReadOnlyDictionary<string, EvalResults> Results, IReadOnlyList<UnitStatus> Missing, long Records, IReadOnlyList<string> Files)
{
    /// <summary>Whether units were missing.</summary>
    public bool IsPartial => Missing.Count > 0;
}
