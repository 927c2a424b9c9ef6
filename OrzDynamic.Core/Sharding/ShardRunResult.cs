namespace OrzDynamic.Core.Sharding;

/// <summary>What one shard run did.</summary>
/// <param name="Shard">Shard index.</param>
/// <param name="Units">Units of the shard.</param>
/// <param name="AlreadyComplete">Units that were complete before this run (skipped; their checkpoints not loaded).</param>
/// <param name="SamplesWritten">Samples (and custom sentences) journaled by this run.</param>
public sealed record ShardRunResult(int Shard, int Units, int AlreadyComplete, int SamplesWritten)
{
    /// <summary>
    /// Answer-probe units left for a rerun because the reference answers were not complete yet (they are produced by
    /// other shards, or by this one after them).
    /// </summary>
    public int Waiting { get; init; }
}
