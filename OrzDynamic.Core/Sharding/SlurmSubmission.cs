namespace OrzDynamic.Core.Sharding;

/// <summary>What <see cref="SlurmSubmitter.Submit"/> did.</summary>
/// <param name="ArrayScript">The sbatch array script.</param>
/// <param name="MergeScript">The merge job script.</param>
/// <param name="Shards">Shard indices submitted (those with unfinished units).</param>
/// <param name="ArrayJobId">Job id of the array (null when nothing was submitted for it).</param>
/// <param name="MergeJobId">Job id of the merge job (null on a dry run).</param>
/// <param name="WatchCommand">A command to watch progress.</param>
public sealed record SlurmSubmission(string ArrayScript, string MergeScript, IReadOnlyList<int> Shards, string? ArrayJobId, string? MergeJobId, string WatchCommand)
{
    /// <summary>
    /// Shards run a second time, after the first array succeeded, for answer probes whose reference is a checkpoint of
    /// the plan (its answers come from other shards); empty when there are none.
    /// </summary>
    public IReadOnlyList<int> ProbeShards { get; init; } = [];

    /// <summary>Job id of that second array (the merge job then depends on it), or null.</summary>
    public string? ProbeArrayJobId { get; init; }
}
