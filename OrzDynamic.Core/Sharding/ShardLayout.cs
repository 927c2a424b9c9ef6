namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Where a sharded run keeps its files inside the output directory DIR (names from <see cref="OutputLayout"/>):
/// <code>
/// DIR/plan.json                                         the work plan (written once, temp + rename)
/// DIR/shards/shard-0002/unit-00007.&lt;planid&gt;.jsonl       journal of a samples unit (appended + flushed per sample)
/// DIR/shards/shard-0002/unit-00008.&lt;planid&gt;.custom/     finished custom-sentence unit (directory renamed into place)
/// DIR/slurm/                                            sbatch scripts, submission record, task logs
/// DIR/&lt;checkpoint&gt;/…, DIR/trends.csv, …                 what merge writes (the outputs of a single-process run)
/// </code>
/// Every file has exactly one writer: a unit belongs to one shard, and a shard index runs in one task at a time.
/// </summary>
public static class ShardLayout
{
    /// <summary>Folder of one shard.</summary>
    public static string ShardDir(string dir, int shard) =>
        Path.Combine(dir, OutputLayout.ShardFolder(shard));

    /// <summary>Journal of a samples unit.</summary>
    public static string UnitJournal(string dir, ShardPlan plan, WorkUnit unit) =>
        Path.Combine(ShardDir(dir, unit.Shard), OutputLayout.UnitFile(unit.Id, plan.PlanId, ".jsonl"));

    /// <summary>Finished custom-sentence unit directory.</summary>
    public static string CustomUnitDir(string dir, ShardPlan plan, WorkUnit unit) =>
        Path.Combine(ShardDir(dir, unit.Shard), OutputLayout.UnitFile(unit.Id, plan.PlanId, ".custom"));

    /// <summary>Finished answer-probe unit: its probe journal, renamed into place when every answer is scored.</summary>
    public static string ProbeUnitJournal(string dir, ShardPlan plan, WorkUnit unit) =>
        Path.Combine(ShardDir(dir, unit.Shard), OutputLayout.UnitFile(unit.Id, plan.PlanId, ".probes.jsonl"));

    /// <summary>The journal an answer-probe unit appends to (and resumes from) until it is complete.</summary>
    public static string ProbeUnitScratch(string dir, ShardPlan plan, WorkUnit unit) =>
        Path.Combine(ShardDir(dir, unit.Shard), OutputLayout.UnitFile(unit.Id, plan.PlanId, ".probes.tmp-journal.jsonl"));

    /// <summary>The file or folder that marks <paramref name="unit"/> (journal, custom-sentence folder or probe journal).</summary>
    public static string UnitPath(string dir, ShardPlan plan, WorkUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return unit.Kind switch
        {
            WorkUnitKind.CustomSentences => CustomUnitDir(dir, plan, unit),
            WorkUnitKind.AnswerProbes => ProbeUnitJournal(dir, plan, unit),
            _ => UnitJournal(dir, plan, unit),
        };
    }

    /// <summary>The plan file of DIR.</summary>
    public static string PlanPath(string dir) => Path.Combine(dir, OutputLayout.PlanFile);
}
