namespace OrzDynamic.Core.Sharding;

/// <summary>
/// One checkpoint of a merge. The full results are in <see cref="Directory"/> (<c>summary.json</c>, <c>results.jsonl</c>);
/// the merge does not keep them in memory, so that it stays flat in the number of checkpoints.
/// </summary>
/// <param name="Key">Checkpoint path as given to the plan.</param>
/// <param name="Name">Checkpoint name (its output folder).</param>
/// <param name="Directory">The checkpoint's merged output directory.</param>
/// <param name="Records">Sample records merged for it.</param>
/// <param name="EvalAccuracy">Mean accuracy over its evaluated datasets (NaN without any).</param>
public sealed record MergedCheckpoint(string Key, string Name, string Directory, long Records, double EvalAccuracy);
