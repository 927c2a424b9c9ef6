using System.Security.Cryptography;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// The deterministic work plan of a sharded evaluation (<c>plan.json</c>): the checkpoints with their configs and
/// settings, the hash of every result-relevant setting, and the units with their shards.
/// </summary>
public sealed record ShardPlan
{
    /// <summary>Current file format.</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IgnoreReadOnlyProperties = true,
    };

    /// <summary>File format version.</summary>
    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;
    /// <summary>Identity of this plan (settings hash, shard count and unit layout); part of every journal name.</summary>
    [JsonPropertyName("plan_id")] public string PlanId { get; init; } = "";
    /// <summary>SHA-256 of every checkpoint's <see cref="PlanCheckpoint.Settings"/>.</summary>
    [JsonPropertyName("settings_hash")] public string SettingsHash { get; init; } = "";
    /// <summary>Number of shards (array tasks 0 … N − 1).</summary>
    [JsonPropertyName("shards")] public int ShardCount { get; init; }
    /// <summary>Checkpoints in evaluation order.</summary>
    [JsonPropertyName("checkpoints")] public IReadOnlyList<PlanCheckpoint> Checkpoints { get; init; } = [];
    /// <summary>Units in canonical order.</summary>
    [JsonPropertyName("units")] public IReadOnlyList<WorkUnit> Units { get; init; } = [];
    /// <summary>
    /// The band of the trend charts the run was asked for (the CLI's <c>--error_bars</c>: <c>std</c> or <c>ci</c>; null
    /// = the default, std). Charts only: it changes no number, so it is in neither the settings hash nor the plan id,
    /// and the merge draws with it unless told otherwise (<c>merge --error_bars</c>).
    /// </summary>
    [JsonPropertyName("error_bars")] public string? ErrorBars { get; init; }
    /// <summary>The answer probes of the run (<c>--probe_answers_from</c>), or null; part of the plan id.</summary>
    [JsonPropertyName("probes")] public PlanProbes? Probes { get; init; }
    /// <summary>The CLI's <c>--heatmap_samples</c> (heatmaps of probed answers, drawn by the merge); charts only, not in the plan id.</summary>
    [JsonPropertyName("heatmap_samples")] public string? HeatmapSamples { get; init; }

    /// <summary>The answer probes, for a plan that has answer-probe units (<see cref="Load"/> checks that they are present).</summary>
    /// <exception cref="ShardPlanException">The plan has no field 'probes'.</exception>
    internal PlanProbes RequiredProbes => Probes ?? throw new ShardPlanException($"plan {PlanId}: field 'probes' is absent, but the plan has answer-probe units.");

    /// <summary>Samples and custom sentences per shard (the balance of the plan).</summary>
    public long[] WorkPerShard()
    {
        var work = new long[ShardCount];
        foreach (var u in Units) work[u.Shard] += u.Samples;
        return work;
    }

    /// <summary>Computes <see cref="PlanId"/> from the settings hash, shard count and units (and the answer probes, if any).</summary>
    public static string ComputeId(string settingsHash, int shards, IEnumerable<WorkUnit> units, IEnumerable<PlanCheckpoint> checkpoints, PlanProbes? probes = null)
    {
        var sb = new StringBuilder().Append(settingsHash).Append('|').Append(shards.ToString(CultureInfo.InvariantCulture));
        foreach (var c in checkpoints) sb.Append('|').Append(c.SelectionFingerprint);
        foreach (var u in units) sb.Append('|').Append(JsonSerializer.Serialize(u));
        if (probes is not null) sb.Append("|probes:").Append(JsonSerializer.Serialize(probes));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }

    /// <summary>Writes the plan to <paramref name="path"/> (temporary file, then rename).</summary>
    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        SharedDirFile.WriteAllText(path, JsonSerializer.Serialize(this, Options));
    }

    /// <summary>Reads and checks a plan: format, self-consistent settings hash and plan id, units covering valid shards.</summary>
    /// <exception cref="ShardPlanException">Missing, unreadable or inconsistent (edited) plan.</exception>
    public static ShardPlan Load(string path)
    {
        if (!File.Exists(path)) throw new ShardPlanException($"{path}: no plan file (create one with `slurm submit` or `shard plan`).");
        ShardPlan? plan;
        var bytes = File.ReadAllBytes(path);
        try
        {
            plan = JsonSerializer.Deserialize<ShardPlan>(bytes, Results.StrictJson.For(Options));
        }
        catch (JsonException ex)
        {
            throw new ShardPlanException($"{path}, line {Results.JsonProblem.Line(ex)}: not a valid plan: {Results.JsonProblem.Describe(ex, bytes)}", ex);
        }
        if (plan is null) throw new ShardPlanException($"{path}: the plan is null.");
        if (plan.Format != CurrentFormat) throw new ShardPlanException($"{path}: field 'format' is {plan.Format}, this version reads {CurrentFormat}.");
        if (plan.ShardCount < 1) throw new ShardPlanException($"{path}: field 'shards' must be at least 1.");
        var bad = plan.Units.FirstOrDefault(u => u.Shard < 0 || u.Shard >= plan.ShardCount || u.Checkpoint < 0 || u.Checkpoint >= plan.Checkpoints.Count);
        if (bad is not null) throw new ShardPlanException($"{path}: unit {bad.Id} names shard {bad.Shard} / checkpoint {bad.Checkpoint}, outside the plan.");
        if (plan.Probes is null && plan.Units.FirstOrDefault(u => u.Kind == WorkUnitKind.AnswerProbes) is { } probe)
            throw new ShardPlanException($"{path}: unit {probe.Id} is an answer-probe unit, but field 'probes' is absent.");
        var hash = PlanSettings.Hash(plan.Checkpoints.Select(c => c.Settings));
        if (hash != plan.SettingsHash)
            throw new ShardPlanException($"{path}: plan was made with other settings: field 'settings_hash' is {plan.SettingsHash}, the recorded settings hash to {hash} (the plan was edited).");
        var id = ComputeId(plan.SettingsHash, plan.ShardCount, plan.Units, plan.Checkpoints, plan.Probes);
        if (id != plan.PlanId) throw new ShardPlanException($"{path}: field 'plan_id' is {plan.PlanId}, the plan's units give {id} (the plan was edited).");
        return plan;
    }

    /// <summary>
    /// Checks that each checkpoint's recorded settings still follow from its recorded config (catches an edited
    /// config, e.g. another temperature, in a plan whose settings were left alone).
    /// </summary>
    /// <exception cref="ShardPlanException">A config no longer matches the settings the plan was made with.</exception>
    public void VerifyConfigs(string path)
    {
        var diffs = new List<string>();
        foreach (var c in Checkpoints)
        {
            var (generation, scoring) = PlanSettings.ExpectedDTypes(c.Config);
            var now = PlanSettings.Of(c.Key, c.Config, c.Settings.GetValueOrDefault("tokenizer") ?? "", generation, scoring);
            diffs.AddRange(PlanSettings.Differences(c.Name, c.Settings, now));
        }
        if (diffs.Count > 0)
            throw new ShardPlanException($"{path}: plan was made with other settings than its configs now give: {string.Join("; ", diffs)}");
    }
}
