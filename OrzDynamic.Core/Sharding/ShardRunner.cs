using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Runs one shard of a plan: for each of its checkpoints (loaded once) it generates, checks and scores the samples of
/// its unfinished units and appends them to the units' journals (flushed per sample). A rerun resumes: complete units
/// are skipped without loading their checkpoint, a partial journal continues where it stopped (a torn last line is cut
/// and recomputed), and every answer is the one a single-process run produces (same batches, same seeds). Answer-probe
/// units run under the same loaded checkpoint once the reference answers are complete, else they wait for a rerun
/// (<see cref="ShardRunResult.Waiting"/>).
/// </summary>
public static class ShardRunner
{
    /// <summary>Environment variables consulted for the shard index, in order.</summary>
    public static IReadOnlyList<string> IndexVariables { get; } = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    /// <summary>The shard index from <c>SLURM_ARRAY_TASK_ID</c>, else <c>JOB_COMPLETION_INDEX</c> (Kubernetes Indexed Jobs), else null.</summary>
    /// <exception cref="ShardPlanException">The variable is set but not a non-negative integer.</exception>
    public static int? IndexFromEnvironment()
    {
        foreach (var name in IndexVariables)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(value)) continue;
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new ShardPlanException($"environment variable {name}='{value}' is not a shard index (a non-negative integer).");
            return index;
        }
        return null;
    }

    /// <summary>Runs shard <paramref name="shardIndex"/> of the plan at <paramref name="planPath"/>.</summary>
    /// <exception cref="ShardPlanException">Index out of range, plan made with other settings, foreign journals, data changed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (journals stay valid; rerun to resume).</exception>
    /// <exception cref="OutputDirectoryInUseException">Another process runs the same shard.</exception>
    public static Task<ShardRunResult> RunAsync(string planPath, int shardIndex, ILoggerFactory? loggerFactory = null,
        IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(planPath);
        return Task.Run(() => Run(planPath, shardIndex, loggerFactory ?? NullLoggerFactory.Instance, progress, cancellationToken), cancellationToken);
    }

    private static ShardRunResult Run(string planPath, int shardIndex, ILoggerFactory loggerFactory, IProgress<EvalProgress>? progress, CancellationToken ct)
    {
        var log = loggerFactory.CreateLogger(typeof(ShardRunner).FullName!);
        var plan = ShardPlan.Load(planPath);
        if (shardIndex < 0 || shardIndex >= plan.ShardCount)
            throw new ShardPlanException($"{planPath}: shard index {shardIndex} is out of range: the plan has {plan.ShardCount} shard(s), 0–{plan.ShardCount - 1}.");
        plan.VerifyConfigs(planPath);
        var dir = Path.GetDirectoryName(Path.GetFullPath(planPath))!;
        // Only this shard's folder is locked: shards of one plan write disjoint files and run side by side.
        using var writer = OutputDirectoryLock.Acquire(ShardLayout.ShardDir(dir, shardIndex));
        TempLeftovers.Remove(ShardLayout.ShardDir(dir, shardIndex), log);   // temporary files of an earlier run of this shard that was killed
        PlanStatus.CheckForeignFiles(dir, plan);

        var mine = plan.Units.Where(u => u.Shard == shardIndex).ToArray();
        int already = 0, written = 0, waiting = 0;
        foreach (var group in mine.GroupBy(u => u.Checkpoint).OrderBy(g => g.Key))
        {
            ct.ThrowIfCancellationRequested();
            var todo = group.Where(u => PlanStatus.Done(dir, plan, u) < u.Samples).ToArray();
            already += group.Count() - todo.Length;
            // Answer probes need every reference answer. While the reference checkpoint's units are not complete (they run
            // in other shards, or later in this one), a probe unit waits for a rerun of the shard: `slurm submit` runs a
            // second, dependent array for that; by hand, run the shard again once the others are done.
            var blocked = todo.Where(u => u.Kind == WorkUnitKind.AnswerProbes && !plan.RequiredProbes.IsReady(dir, plan)
                                          && !(plan.RequiredProbes.ReferenceCheckpoint == group.Key && todo.Any(t => t.Kind == WorkUnitKind.Samples))).ToArray();
            foreach (var unit in blocked) AnswerProbeUnit.LogWaiting(log, plan, unit);
            waiting += blocked.Length;
            todo = todo.Except(blocked).ToArray();
            if (todo.Length == 0) continue;
            var ck = plan.Checkpoints[group.Key];
            log.LogInformation("Shard {Shard}: {Checkpoint}: {Units} unit(s) to run", shardIndex, ck.Name, todo.Length);
            var settings = RunSettings.Of(ck.Config);
            using var pipeline = CheckpointPipeline.Load(settings, loggerFactory, ct);
            var actual = PlanSettings.Of(ck.Key, ck.Config, pipeline.Tokenizer.Source, pipeline.Precision.GenerationDType, pipeline.Precision.ScoringDType);
            var diffs = PlanSettings.Differences(ck.Name, ck.Settings, actual);
            if (diffs.Count > 0)
                throw new ShardPlanException($"{planPath}: plan was made with other settings than this shard runs with: {string.Join("; ", diffs)}");
            var selection = pipeline.Select(ct);
            var keys = selection.Data.Samples.Select(s => (s.DatasetName, s.Index)).ToArray();
            if (ShardPlanBuilder.SelectionFingerprint(keys) != ck.SelectionFingerprint)
                throw new ShardPlanException($"{planPath}: the data of checkpoint {ck.Name} changed since the plan was made " +
                                             $"(field 'selection_fingerprint': {keys.Length} samples now, {ck.Selected} planned); make a new plan in another directory.");
            var sampleProgress = new SampleProgress(ck.Name, keys.Length * ck.Config.NSamples, 0, progress);
            foreach (var unit in todo)
            {
                ct.ThrowIfCancellationRequested();
                if (unit.Kind == WorkUnitKind.AnswerProbes && !plan.RequiredProbes.IsReady(dir, plan))
                {
                    AnswerProbeUnit.LogWaiting(log, plan, unit);
                    waiting++;
                    continue;
                }
                int added = RunUnit(dir, plan, unit, pipeline, selection, sampleProgress, loggerFactory, log, ct);
                written += added;
                if (unit.Kind == WorkUnitKind.Samples) log.LogInformation("Shard {Shard}: {Unit} done ({New} new)", shardIndex, unit.Describe(plan), added);
                else log.LogInformation("Shard {Shard}: {Unit} done", shardIndex, unit.Describe(plan));
            }
        }
        log.LogInformation("Shard {Shard}: {Units} unit(s), {Already} already complete, {Written} sample(s) written", shardIndex, mine.Length, already, written);
        return new ShardRunResult(shardIndex, mine.Length, already, written) { Waiting = waiting };
    }

    /// <summary>Runs one unit with the checkpoint's loaded stages; returns the samples (or answers) it added.</summary>
    private static int RunUnit(string dir, ShardPlan plan, WorkUnit unit, CheckpointPipeline pipeline, Selection selection, SampleProgress progress,
        ILoggerFactory loggerFactory, ILogger log, CancellationToken ct)
    {
        switch (unit.Kind)
        {
            case WorkUnitKind.AnswerProbes:
                return AnswerProbeUnit.Run(dir, plan, unit, pipeline, loggerFactory, ct);
            case WorkUnitKind.CustomSentences:
                var scratch = SharedDirFile.TempPath(Path.Combine(ShardLayout.ShardDir(dir, unit.Shard), $"{plan.Checkpoints[unit.Checkpoint].Name}.custom"));
                Directory.CreateDirectory(scratch);
                pipeline.ScoreCustomSentences(selection, scratch, ct);
                Directory.Move(scratch, ShardLayout.CustomUnitDir(dir, plan, unit));
                return unit.Samples;
            default:
                var path = ShardLayout.UnitJournal(dir, plan, unit);
                using (var journal = ResultsJournal.Open(path, log))
                {
                    int before = journal.Records.Count;
                    pipeline.Answer(selection, new SampleSlice(unit.FirstBatch, unit.BatchCount, unit.Dataset), journal, progress, ct);
                    int now = journal.Records.Count;
                    if (now != unit.Samples)
                        throw new ShardPlanException($"{path}: {unit.Describe(plan)} holds {now} samples after running, expected {unit.Samples}.");
                    return now - before;
                }
        }
    }
}
