using OrzDynamic.Datasets.Checking;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Makes the work plan of an evaluation: loads each checkpoint's tokenizer and data selection (no model weights),
/// records every result-relevant setting and partitions the work with <see cref="ShardPlanner"/>. Plans require static
/// batching (<see cref="GenerationMode.Static"/>): under continuous batching an answer's batch-mates depend on which
/// samples a process runs, so shards could not reproduce a single-process run bit for bit.
/// </summary>
public static class ShardPlanBuilder
{
    /// <summary>
    /// Plans <paramref name="checkpoints"/> (path as given → config) over <paramref name="shards"/> shards for the output
    /// directory <paramref name="outputDir"/>. Paths in the configs are made absolute.
    /// </summary>
    /// <exception cref="EvaluatorConfigException">A config is invalid.</exception>
    /// <exception cref="DataFormatException">Malformed data files.</exception>
    public static ShardPlan Create(IReadOnlyList<(string Key, EvaluatorConfig Config)> checkpoints, int shards, string outputDir,
        ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        if (shards < 1) throw new ShardPlanException($"--shards must be at least 1 (got {shards}).");
        if (checkpoints.Count == 0) throw new ShardPlanException("A plan needs at least one checkpoint.");
        loggerFactory ??= NullLoggerFactory.Instance;
        var planned = new List<PlanCheckpoint>();
        var selections = new List<CheckpointSelection>();
        int batchSize = checkpoints[0].Config.BatchSize;
        foreach (var (key, original) in checkpoints)
        {
            cancellationToken.ThrowIfCancellationRequested();
            original.Validate(requireModelFiles: true);
            if (original.BatchSize != batchSize) throw new ShardPlanException("All checkpoints of a plan must use the same batch size.");
            if (original.GenerationMode != GenerationMode.Static)
                throw new ShardPlanException($"{key}: sharded runs need static batching (--batching static, EvaluatorConfig.GenerationMode = Static): " +
                                             "only fixed batches make every shard's answers bit-identical to a single-process run.");
            if (original.CheckerRegistry is not null)
                throw new ShardPlanException($"{key}: EvaluatorConfig.CheckerRegistry (custom answer checkers) cannot be carried to shard processes through plan.json; select built-in checkers with AnswerCheckers.");
            var config = original with
            {
                ModelPath = Path.GetFullPath(original.ModelPath),
                TokenizerPath = string.IsNullOrEmpty(original.TokenizerPath) ? original.TokenizerPath : Path.GetFullPath(original.TokenizerPath),
                CheckpointName = original.EffectiveCheckpointName,
                EvalPromptData = original.EvalPromptData.Select(Path.GetFullPath).ToArray(),
                CustomSentenceFiles = original.CustomSentenceFiles.Select(Path.GetFullPath).ToArray(),
                OutputDir = Path.GetFullPath(Path.Combine(outputDir, original.EffectiveCheckpointName)),
            };
            var (generationDType, scoringDType) = PlanSettings.ExpectedDTypes(config);
            var tokenizer = HfTokenizer.FromDirectory(config.EffectiveTokenizerPath, loggerFactory.CreateLogger<HfTokenizer>());
            // The prompt limit depends on the model's positions: read from config.json, no weights are loaded.
            var promptLimit = GenerationLimits.PromptLimit(config, CheckpointLoader.ReadConfig(config.ModelPath));
            var data = EvalDataSelection.Load(config, promptLimit, tokenizer, loggerFactory, cancellationToken);
            int custom = 0;
            var loader = new CustomSentenceLoader(loggerFactory.CreateLogger<CustomSentenceLoader>());
            foreach (var file in config.CustomSentenceFiles) custom += loader.Load(file, config.SkipInvalidRecords, cancellationToken, config.AllowInvalidUtf8).Sentences.Count;
            var keys = data.Samples.Select(s => (s.DatasetName, s.Index)).ToArray();
            planned.Add(new PlanCheckpoint
            {
                Key = key,
                Name = config.EffectiveCheckpointName,
                Config = config,
                Settings = PlanSettings.Of(key, config, tokenizer.Source, generationDType, scoringDType),
                Selected = keys.Length,
                SelectionFingerprint = SelectionFingerprint(keys),
                Datasets = data.Files.GroupBy(f => f.DatasetName).Select(g => new PlanDataset
                {
                    Name = g.Key,
                    SkippedTooLong = g.Sum(f => f.Valid - f.WithinLength),
                    SkippedBadRecords = g.Sum(f => f.Records - f.Valid),
                    AnswerChecker = config.NSamples > 1
                        ? AnswerCheckerRegistry.SelectName(g.Key, data.Samples.Where(s => s.DatasetName == g.Key), config.AnswerCheckers)
                        : null,
                }).ToArray(),
                CustomSentenceStems = config.CustomSentenceFiles.Select(Path.GetFileNameWithoutExtension).ToArray()!,
            });
            selections.Add(new CheckpointSelection(keys, custom, config.NSamples));
        }
        var names = planned.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null) throw new ShardPlanException($"Two checkpoints are named '{names.Key}'; checkpoint names must be unique.");
        var units = ShardPlanner.Partition(selections, batchSize, shards);
        var hash = PlanSettings.Hash(planned.Select(p => p.Settings));
        return new ShardPlan
        {
            PlanId = ShardPlan.ComputeId(hash, shards, units, planned),
            SettingsHash = hash,
            ShardCount = shards,
            Checkpoints = planned,
            Units = units,
        };
    }

    /// <summary>
    /// Adds answer probes to a plan: one <see cref="WorkUnitKind.AnswerProbes"/> unit per checkpoint, run by the shard
    /// that runs the checkpoint's last unit (it has the checkpoint loaded anyway); the plan id then covers the probes.
    /// </summary>
    /// <param name="plan">A plan from <see cref="Create"/>.</param>
    /// <param name="probes">The reference (a checkpoint of the plan or an external directory) and datasets.</param>
    /// <param name="answers">Answers to probe: the external reference's item count, else the reference checkpoint's selection.</param>
    /// <exception cref="ShardPlanException">The reference checkpoint is not in the plan.</exception>
    public static ShardPlan WithAnswerProbes(ShardPlan plan, PlanProbes probes, int? answers = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.ReferenceCheckpoint is { } r && (r < 0 || r >= plan.Checkpoints.Count))
            throw new ShardPlanException($"The probe reference checkpoint #{r} is not in the plan.");
        int work = answers ?? (probes.ReferenceCheckpoint is { } rc ? plan.Checkpoints[rc].Selected : 0);
        var units = plan.Units.Where(u => u.Kind != WorkUnitKind.AnswerProbes).ToList();
        int first = units.Count;
        for (int c = 0; c < plan.Checkpoints.Count; c++)
        {
            var last = units.Where(u => u.Checkpoint == c).Select(u => (int?)u.Shard).LastOrDefault() ?? Math.Min(c, plan.ShardCount - 1);
            units.Add(new WorkUnit { Id = first + c, Shard = last, Checkpoint = c, Kind = WorkUnitKind.AnswerProbes, Samples = work });
        }
        return plan with
        {
            Probes = probes,
            Units = units,
            PlanId = ShardPlan.ComputeId(plan.SettingsHash, plan.ShardCount, units, plan.Checkpoints, probes),
        };
    }

    /// <summary>Fingerprint of a selection: (dataset, index) pairs in batch order.</summary>
    public static string SelectionFingerprint(IEnumerable<(string Dataset, int Index)> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var fp = new Fingerprint();
        int n = 0;
        foreach (var (d, i) in keys)
        {
            fp.Add(d);
            fp.Add(i);
            n++;
        }
        fp.Add(n);
        return fp.ToString();
    }

    /// <summary>
    /// Writes <paramref name="plan"/> as DIR/plan.json, or, when DIR already holds a plan, checks that it was made with
    /// the same settings and shard count and returns the existing one (so resubmitting reuses it).
    /// </summary>
    /// <exception cref="ShardPlanException">DIR holds a plan made with other settings or another shard count.</exception>
    public static ShardPlan WriteOrReuse(ShardPlan plan, string outputDir)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var path = ShardLayout.PlanPath(outputDir);
        if (File.Exists(path))
        {
            var existing = ShardPlan.Load(path);
            var diffs = new List<string>();
            if (existing.ShardCount != plan.ShardCount) diffs.Add($"shards: {existing.ShardCount} in the plan, {plan.ShardCount} now");
            if (existing.Checkpoints.Count != plan.Checkpoints.Count) diffs.Add($"checkpoints: {existing.Checkpoints.Count} in the plan, {plan.Checkpoints.Count} now");
            else
                for (int i = 0; i < plan.Checkpoints.Count; i++)
                    diffs.AddRange(PlanSettings.Differences(plan.Checkpoints[i].Name, existing.Checkpoints[i].Settings, plan.Checkpoints[i].Settings));
            var (probesThen, probesNow) = (System.Text.Json.JsonSerializer.Serialize(existing.Probes), System.Text.Json.JsonSerializer.Serialize(plan.Probes));
            if (probesThen != probesNow) diffs.Add($"answer probes: {(existing.Probes is null ? "none" : existing.Probes.AnswersFrom)} in the plan, {(plan.Probes is null ? "none" : plan.Probes.AnswersFrom)} now");
            if (diffs.Count == 0 && existing.PlanId != plan.PlanId) diffs.Add("the data selection changed since the plan was made");
            if (diffs.Count > 0)
                throw new ShardPlanException($"{path}: this directory holds a plan made with other settings; use another output directory. Differences: {string.Join("; ", diffs)}");
            return existing;
        }
        Directory.CreateDirectory(outputDir);
        plan.Save(path);
        return plan;
    }
}
