namespace OrzDynamic.Core.Sharding;

/// <summary>
/// One piece of a sharded evaluation: the samples of <see cref="Dataset"/> inside the whole generation batches
/// <see cref="FirstBatch"/> … <see cref="FirstBatch"/> + <see cref="BatchCount"/> − 1 of one checkpoint's selection
/// (or that checkpoint's custom sentences). Every sample of every checkpoint lies in exactly one unit; each unit belongs
/// to exactly one shard.
/// </summary>
public sealed record WorkUnit
{
    /// <summary>Position of the unit in the plan (canonical order: checkpoint, then selection order).</summary>
    [JsonPropertyName("id")] public int Id { get; init; }
    /// <summary>The shard that runs it.</summary>
    [JsonPropertyName("shard")] public int Shard { get; init; }
    /// <summary>Index into <see cref="ShardPlan.Checkpoints"/>.</summary>
    [JsonPropertyName("checkpoint")] public int Checkpoint { get; init; }
    /// <summary>What the unit computes.</summary>
    [JsonPropertyName("kind")] public WorkUnitKind Kind { get; init; }
    /// <summary>Dataset of a <see cref="WorkUnitKind.Samples"/> unit.</summary>
    [JsonPropertyName("dataset")] public string? Dataset { get; init; }
    /// <summary>First generation batch (batches partition the checkpoint's whole selection).</summary>
    [JsonPropertyName("first_batch")] public int FirstBatch { get; init; }
    /// <summary>Number of consecutive batches.</summary>
    [JsonPropertyName("batch_count")] public int BatchCount { get; init; }
    /// <summary>Samples (or custom sentences) the unit produces: its expected work.</summary>
    [JsonPropertyName("samples")] public int Samples { get; init; }
    /// <summary>Fingerprint of the unit's sample indices in selection order (checked at merge).</summary>
    [JsonPropertyName("index_fingerprint")] public string IndexFingerprint { get; init; } = "";

    /// <summary>A one-line description, e.g. <c>unit 7 (shard 2: iter0 / arith_a, batches 3–5, 20 samples)</c>.</summary>
    public string Describe(ShardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var ck = Checkpoint >= 0 && Checkpoint < plan.Checkpoints.Count ? plan.Checkpoints[Checkpoint].Name : $"#{Checkpoint}";
        return Kind switch
        {
            WorkUnitKind.CustomSentences => string.Create(CultureInfo.InvariantCulture, $"unit {Id} (shard {Shard}: {ck} / custom sentences, {Samples} sentences)"),
            WorkUnitKind.AnswerProbes => string.Create(CultureInfo.InvariantCulture, $"unit {Id} (shard {Shard}: {ck} / answer probes of {plan.Probes?.Reference}, {Samples} answers)"),
            _ => string.Create(CultureInfo.InvariantCulture, $"unit {Id} (shard {Shard}: {ck} / {Dataset}, batches {FirstBatch}–{FirstBatch + BatchCount - 1}, {Samples} samples)"),
        };
    }
}
