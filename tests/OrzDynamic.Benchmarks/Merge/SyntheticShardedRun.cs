using System.Globalization;
using System.Text.Json;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Merge;

/// <summary>
/// Writes a complete synthetic sharded run (plan.json + one journal per unit) of C checkpoints × D datasets × S samples,
/// with records shaped like real ones (prompt, output, token ids, metrics, five random-token positions).
/// </summary>
internal static class SyntheticShardedRun
{
    public static (ShardPlan Plan, long Bytes) Write(string dir, int checkpoints, int datasets, int samples, int shards, int batchSize, int seed)
    {
        var planned = new List<PlanCheckpoint>();
        var selections = new List<CheckpointSelection>();
        var dataFiles = Enumerable.Range(0, datasets).Select(d => Path.Combine(dir, "data", $"set{d}.jsonl")).ToArray();
        WriteDataFiles(dataFiles, samples);   // the plan and the merged run manifests hash them
        for (int c = 0; c < checkpoints; c++)
        {
            var key = $"/bench/run/iter{c * 100}";
            var config = new EvaluatorConfig
            {
                ModelPath = key,
                CheckpointName = $"iter{c * 100}",
                EvalPromptData = dataFiles,
                BatchSize = batchSize,
                GenerationMode = OrzDynamic.Core.Generation.GenerationMode.Static,
                EnableVisualization = false,
                OutputDir = Path.Combine(dir, $"iter{c * 100}"),
            };
            var keys = Enumerable.Range(0, datasets).SelectMany(d => Enumerable.Range(0, samples).Select(i => ($"set{d}", i))).ToArray();
            planned.Add(new PlanCheckpoint
            {
                Key = key,
                Name = config.EffectiveCheckpointName,
                Config = config,
                Settings = PlanSettings.Of(key, config, "synthetic-tokenizer", ScalarType.BFloat16, ScalarType.Float32),
                Selected = keys.Length,
                SelectionFingerprint = ShardPlanBuilder.SelectionFingerprint(keys),
                Datasets = Enumerable.Range(0, datasets).Select(d => new PlanDataset { Name = $"set{d}" }).ToArray(),
            });
            selections.Add(new CheckpointSelection(keys, 0));
        }
        var units = ShardPlanner.Partition(selections, batchSize, shards);
        var hash = PlanSettings.Hash(planned.Select(p => p.Settings));
        var plan = new ShardPlan
        {
            PlanId = ShardPlan.ComputeId(hash, shards, units, planned),
            SettingsHash = hash,
            ShardCount = shards,
            Checkpoints = planned,
            Units = units,
        };
        plan.Save(ShardLayout.PlanPath(dir));

        long bytes = 0;
        var rng = new Random(seed);
        foreach (var unit in units)
        {
            var ck = planned[unit.Checkpoint];
            var path = ShardLayout.UnitJournal(dir, plan, unit);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            foreach (var (dataset, index) in ShardPlanner.SamplesOf(unit, selections[unit.Checkpoint].Samples, batchSize))
            {
                var line = JsonSerializer.SerializeToUtf8Bytes(Record(rng, ck.Name, dataset, index), ResultsJournal.LineOptions);
                stream.Write(line);
                stream.WriteByte((byte)'\n');
                bytes += line.Length + 1;
            }
        }
        return (plan, bytes);
    }

    private static void WriteDataFiles(IEnumerable<string> paths, int samples)
    {
        foreach (var path in paths)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllLines(path, Enumerable.Range(0, samples).Select(i => string.Create(CultureInfo.InvariantCulture,
                $$"""{"prompt": [{"from": "user", "value": "Question {{i}}: what is {{i}} plus 1?"}], "final_answer": "{{i + 1}}"}""")));
        }
    }

    private static SampleRecord Record(Random rng, string checkpoint, string dataset, int index)
    {
        bool correct = rng.NextDouble() < 0.4;
        int tokens = rng.Next(16, 48);
        return new SampleRecord
        {
            Dataset = dataset,
            Index = index,
            Checkpoint = checkpoint,
            Prompt = string.Create(CultureInfo.InvariantCulture, $"<|im_start|>user\nQuestion {index} of {dataset}: what is {rng.Next(100)} plus {rng.Next(10)}?<|im_end|>\n<|im_start|>assistant\n"),
            Output = new string('x', rng.Next(40, 200)),
            FinalAnswer = rng.Next(110).ToString(CultureInfo.InvariantCulture),
            Answer = rng.Next(110).ToString(CultureInfo.InvariantCulture),
            IsCorrect = correct,
            TokenIds = Enumerable.Range(0, tokens).Select(_ => rng.Next(50000)).ToArray(),
            PromptTokens = rng.Next(20, 40),
            FinishReason = "eos",
            LdMetrics = Metrics(rng, tokens),
            SampledTokens = new SampledTokens
            {
                Positions = Enumerable.Range(0, 5).Select(_ => rng.Next(tokens)).ToArray(),
                TokenIds = Enumerable.Range(0, 5).Select(_ => rng.Next(50000)).ToArray(),
                Tokens = Enumerable.Range(0, 5).Select(_ => "tok").ToArray(),
                LogProbs = Enumerable.Range(0, 5).Select(_ => -rng.NextDouble() * 5).ToArray(),
                Probs = Enumerable.Range(0, 5).Select(_ => rng.NextDouble()).ToArray(),
                Metrics = Enumerable.Range(0, 5).Select(_ => Metrics(rng, 1)).ToArray(),
            },
        };
    }

    private static LdMetrics Metrics(Random rng, int tokens) => new()
    {
        OutToken = -rng.NextDouble() * 50,
        OutArgmax = -rng.NextDouble() * 20,
        OutExceptArgmax = -rng.NextDouble() * 300,
        ANorm = 20 + rng.NextDouble() * 12,
        ProbGap2Mean = rng.NextDouble(),
        ProbEnergy = rng.NextDouble(),
        ArgmaxMatchRate = rng.NextDouble(),
        ValidTokens = tokens,
    };
}
