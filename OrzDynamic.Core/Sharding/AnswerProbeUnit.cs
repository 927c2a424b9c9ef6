using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;

namespace OrzDynamic.Core.Sharding;

/// <summary>Runs one <see cref="WorkUnitKind.AnswerProbes"/> unit inside a shard (the checkpoint's model is loaded).</summary>
internal static class AnswerProbeUnit
{
    /// <summary>
    /// Scores every reference answer under the loaded model, as a single run does right after evaluating the checkpoint
    /// (the same scorer and options: the first checkpoint's device, dtypes and scoring settings; each answer alone), into
    /// a journal that resumes after a kill and is renamed into place when complete. Returns the answers scored.
    /// </summary>
    public static int Run(string dir, ShardPlan plan, WorkUnit unit, CheckpointPipeline pipeline, ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var items = plan.RequiredProbes.LoadItems(dir, plan, loggerFactory.CreateLogger(typeof(ShardRunner).FullName!));
        var scorer = new FixedResponseScorer(ProbeOptions.Like(plan.Checkpoints[0].Config), loggerFactory);
        var scratch = ShardLayout.ProbeUnitScratch(dir, plan, unit);
        var records = scorer.ScoreCheckpoint(pipeline.Model, pipeline.Tokenizer, plan.Checkpoints[unit.Checkpoint].Name, items, scratch, cancellationToken: ct);
        File.Move(scratch, ShardLayout.ProbeUnitJournal(dir, plan, unit), overwrite: true);
        return records.Count;
    }

    /// <summary>Says that <paramref name="unit"/> waits for the reference answers (and how to run it later).</summary>
    public static void LogWaiting(ILogger log, ShardPlan plan, WorkUnit unit) =>
        log.LogWarning("Shard {Shard}: {Unit} waits for the answers of {Reference}; run this shard again when their units are complete",
            unit.Shard, unit.Describe(plan), plan.RequiredProbes.Reference);
}
