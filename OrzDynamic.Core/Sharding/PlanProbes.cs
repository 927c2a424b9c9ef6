using System.Security.Cryptography;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Probes;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// The answer probes of a sharded run (<c>--probe_answers_from</c>): the answers one reference generated, scored
/// teacher-forced under every checkpoint, one <see cref="WorkUnitKind.AnswerProbes"/> unit per checkpoint. The
/// reference is a checkpoint of the plan (its samples units must be complete before any probe unit runs: the answers
/// are read from their journals) or the output directory of an earlier evaluation (fixed by a hash of its results.jsonl).
/// </summary>
public sealed record PlanProbes
{
    /// <summary>The <c>--probe_answers_from</c> value as given.</summary>
    [JsonPropertyName("answers_from")] public string AnswersFrom { get; init; } = "";
    /// <summary>Name of the reference (checkpoint name, or the external directory's name).</summary>
    [JsonPropertyName("reference")] public string Reference { get; init; } = "";
    /// <summary>Index of the reference in <see cref="ShardPlan.Checkpoints"/>, or null for an external directory.</summary>
    [JsonPropertyName("reference_checkpoint")] public int? ReferenceCheckpoint { get; init; }
    /// <summary>Absolute output directory of an earlier evaluation holding the reference answers, or null.</summary>
    [JsonPropertyName("reference_dir")] public string? ReferenceDir { get; init; }
    /// <summary>SHA-256 prefix of <see cref="ReferenceDir"/>'s results.jsonl (checked by every shard), or null.</summary>
    [JsonPropertyName("reference_sha256")] public string? ReferenceSha256 { get; init; }
    /// <summary>Probe set name (<c>answers_from_&lt;reference&gt;</c>): journal and CSV file names.</summary>
    [JsonPropertyName("set")] public string SetName { get; init; } = "";
    /// <summary>The datasets whose answers are probed (the run's data files).</summary>
    [JsonPropertyName("datasets")] public IReadOnlyList<string> Datasets { get; init; } = [];

    /// <summary>SHA-256 prefix of a reference directory's results.jsonl.</summary>
    public static string HashOf(string referenceDir)
    {
        using var stream = File.OpenRead(Path.Combine(referenceDir, OutputLayout.Journal));
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    /// <summary>Whether the reference answers are all there (an external directory always; a checkpoint of the plan once its samples units are complete).</summary>
    public bool IsReady(string dir, ShardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return ReferenceCheckpoint is not { } r
               || plan.Units.Where(u => u.Checkpoint == r && u.Kind == WorkUnitKind.Samples).All(u => PlanStatus.Done(dir, plan, u) >= u.Samples);
    }

    /// <summary>
    /// The probe items: the reference answers ordered by dataset then index, exactly as a single run reads them from
    /// the reference's results.jsonl (here from the reference checkpoint's unit journals, or the external directory).
    /// </summary>
    /// <exception cref="ShardPlanException">The external reference changed since the plan was made, or the reference is not complete.</exception>
    /// <exception cref="ProbeInputException">No usable answer.</exception>
    public IReadOnlyList<ProbeItem> LoadItems(string dir, ShardPlan plan, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (ReferenceCheckpoint is not { } r)
        {
            if (ReferenceDir is null) throw new ShardPlanException($"{ShardLayout.PlanPath(dir)}: field 'probes' names neither a reference checkpoint nor a reference directory.");
            if (HashOf(ReferenceDir) != ReferenceSha256)
                throw new ShardPlanException($"{Path.Combine(ReferenceDir, OutputLayout.Journal)}: the reference answers changed since the plan was made " +
                                             $"(field 'probes.reference_sha256' is {ReferenceSha256}); make a new plan in another directory.");
            return ReferenceAnswers.Load(ReferenceDir, Datasets, logger).Items;
        }
        if (!IsReady(dir, plan))
            throw new ShardPlanException($"{ShardLayout.PlanPath(dir)}: the answers of the reference checkpoint {Reference} are not complete yet.");
        var journals = plan.Units.Where(u => u.Checkpoint == r && u.Kind == WorkUnitKind.Samples).Select(u => ShardLayout.UnitJournal(dir, plan, u));
        return ReferenceAnswers.FromJournals(journals, $"{Reference} ({OutputLayout.ShardsFolder}/)", Datasets, logger).Items;
    }
}
