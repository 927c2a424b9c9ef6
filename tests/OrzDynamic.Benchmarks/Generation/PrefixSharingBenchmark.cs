using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Benchmarks.Model;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Datasets.Loading;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// Prefix sharing: the K samples of every prompt generated through the evaluation's scheduler (the draws of
/// <see cref="SampleDraw.Batches"/>, static batches or continuous slots), with the prompt's prefill shared by its K
/// samples and with a prompt pass per sample, alternated in one run (round r runs "on" first when r is even, "off"
/// first when odd) after an untimed warm-up of every path. Prompts are random ids (each length within ±10 % of
/// <c>--prompt-tokens</c>); answers are sampled (temperature 1) with no eos token, so every answer has exactly
/// <c>--answer-tokens</c> tokens. Reports the wall time of generation, the prefill time (prompt passes and copies of
/// shared prefills; the copies also apart) and its share, the prompt passes, the on/off ratio, and whether both
/// settings generated the same ids. Usage: <c>prefix-sharing [--prompts 32] [--prompt-tokens 300] [--samples 8]
/// [--answer-tokens 200] [--batch 32] [--shape medium|small|small-qwen3|qwen2.5-0.5b|qwen3-0.6b] [--dtype bfloat16|float32]
/// [--modes static,continuous] [--rounds 1] [--threads N] [--out FILE]</c>.
/// </summary>
internal static class PrefixSharingBenchmark
{
    private sealed record Settings(int Prompts, int PromptTokens, int Samples, int AnswerTokens, int Batch, string Shape, ScalarType DType,
        GenerationMode[] Modes, int Rounds, int Threads, string? Output);

    private sealed record Measurement(GenerationMode Mode, bool Share, double Seconds, double PrefillSeconds, double CopySeconds, long Passes, long SharedRows,
        Dictionary<(int, int), IReadOnlyList<int>> Ids, string Load);

    private const string Usage = "options: --prompts N --prompt-tokens N --samples K --answer-tokens N --batch N --shape medium|small|small-qwen3|qwen2.5-0.5b|qwen3-0.6b " +
        "--dtype bfloat16|float32 --modes static,continuous --rounds N --threads N --out FILE";

    public static int Run(string[] args)
    {
        Settings s;
        try
        {
            s = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"prefix-sharing: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        OrzDynamic.Metrics.Runtime.TorchNativeLoader.EnsureRegistered();
        if (s.Threads > 0) set_num_threads(s.Threads);
        var config = Shape(s.Shape);
        var (samples, ids) = Prompts(s, config.VocabSize);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Config: {s.Shape} shape ({config.ParameterCount / 1e6:F1}M parameters: hidden {config.HiddenSize}, {config.NumHiddenLayers} layers, {config.NumAttentionHeads} heads × {config.HeadDim} / {config.NumKeyValueHeads} kv, vocab {config.VocabSize}), generated weights in {s.DType}. Threads: torch {get_num_threads()}, {Environment.ProcessorCount} logical CPUs. {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Workload: {s.Prompts} prompts of {ids.Values.Min(p => p.Count)}–{ids.Values.Max(p => p.Count)} random ids × K = {s.Samples} samples of exactly {s.AnswerTokens} tokens (temperature 1, no stop token); batch / slots {s.Batch}; {s.Rounds} round(s), sharing on and off alternated.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load at start: {MachineLoad.Averages(", ")}");
        Console.Error.WriteLine(report);

        using var model = new CausalLM(config, s.DType, CPU);
        EndToEndBenchmark.FillRandom(model);
        // Untimed warm-up of every code path (JIT, first allocations), so that the first timed run does not pay for it.
        foreach (var mode in s.Modes)
            foreach (var share in new[] { true, false })
                Measure(model, mode, share, s with { Prompts = Math.Min(2, s.Prompts), Samples = 2, AnswerTokens = 2 }, samples[..Math.Min(2, s.Prompts)], ids);
        var runs = new List<Measurement>();
        for (var round = 0; round < s.Rounds; round++)
        {
            foreach (var mode in s.Modes)
            {
                foreach (var share in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    GC.Collect();
                    var m = Measure(model, mode, share, s, samples, ids);
                    runs.Add(m);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[prefix-sharing] round {round + 1}, {Name(mode)}, sharing {(share ? "on" : "off")}: {m.Seconds:F2} s, prefill {m.PrefillSeconds:F2} s ({100 * m.PrefillSeconds / m.Seconds:F1} %), {m.Passes} prompt passes, load {m.Load}"));
                }
            }
        }
        report.AppendLine(CultureInfo.InvariantCulture, $"Load at end: {MachineLoad.Averages(", ")}");
        report.AppendLine();
        report.AppendLine("| mode | prefix sharing | wall s (median) | prefill s | of which copies of shared prefills s | prefill share | prompt passes | rows with a shared prefill | answer tok/s | wall on / off | same ids on and off |");
        report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var answerTokens = (long)s.Prompts * s.Samples * s.AnswerTokens;
        foreach (var mode in s.Modes)
        {
            var on = runs.Where(r => r.Mode == mode && r.Share).ToArray();
            var off = runs.Where(r => r.Mode == mode && !r.Share).ToArray();
            var ratio = SampleMedian.Of(on.Select(r => r.Seconds)) / SampleMedian.Of(off.Select(r => r.Seconds));
            var same = on.Concat(off).All(r => SameIds(r.Ids, off[0].Ids));
            foreach (var group in new[] { on, off })
            {
                var wall = SampleMedian.Of(group.Select(r => r.Seconds));
                var prefill = SampleMedian.Of(group.Select(r => r.PrefillSeconds));
                var copies = SampleMedian.Of(group.Select(r => r.CopySeconds));
                var share = SampleMedian.Of(group.Select(r => r.PrefillSeconds / r.Seconds));
                report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Name(mode)} | {(group[0].Share ? "on" : "off")} | {wall:F2} | {prefill:F2} | {copies:F2} | {100 * share:F1} % | {group[0].Passes} | {group[0].SharedRows} | {answerTokens / wall:F1} | {(group[0].Share ? ratio.ToString("F3", CultureInfo.InvariantCulture) : "")} | {(same ? "yes" : "NO")} |"));
            }
        }
        var text = report.ToString();
        var path = s.Output ?? "prefix-sharing-benchmark-raw.md";
        File.WriteAllText(path, text);
        Console.WriteLine(text);
        Console.WriteLine($"written to {path}");
        return runs.GroupBy(r => r.Mode).All(g => g.All(r => SameIds(r.Ids, g.First().Ids))) ? 0 : 1;
    }

    /// <summary>One generation of every draw through the scheduler, timed.</summary>
    private static Measurement Measure(CausalLM model, GenerationMode mode, bool share, Settings s, EvalSample[] samples, Dictionary<string, IReadOnlyList<int>> ids)
    {
        var scheduler = new AnswerScheduler(model, mode, s.Batch, NullLogger.Instance, share);
        var options = new GenerationOptions { MaxNewTokens = s.AnswerTokens, EosTokenIds = [], Temperature = 1.0 };
        var answers = new Dictionary<(int, int), IReadOnlyList<int>>();
        var clock = Stopwatch.StartNew();
        foreach (var group in scheduler.Run(SampleDraw.Batches(samples, s.Batch, s.Samples), _ => false, t => ids[t], 20251207, options))
        {
            foreach (var a in group)
            {
                if (a.Generation.TokenIds.Count != s.AnswerTokens)
                    throw new InvalidOperationException($"answer of {a.Generation.TokenIds.Count} tokens, expected {s.AnswerTokens}");
                answers.Add((a.Sample.Index, a.Draw.Number), a.Generation.TokenIds);
            }
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new Measurement(mode, share, seconds, scheduler.Prefill.Elapsed.TotalSeconds, scheduler.Prefill.SharedElapsed.TotalSeconds, scheduler.Prefill.Computed, scheduler.Prefill.SharedRows,
            answers, MachineLoad.Averages(", "));
    }

    private static bool SameIds(Dictionary<(int, int), IReadOnlyList<int>> a, Dictionary<(int, int), IReadOnlyList<int>> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && kv.Value.SequenceEqual(other));

    /// <summary>The prompts as evaluation samples; the prompt text is the key of its ids.</summary>
    private static (EvalSample[] Samples, Dictionary<string, IReadOnlyList<int>> Ids) Prompts(Settings s, long vocab)
    {
        var rng = new Random(20251207);
        var spread = s.PromptTokens / 10;
        var samples = new EvalSample[s.Prompts];
        var ids = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        for (var i = 0; i < s.Prompts; i++)
        {
            var text = $"prompt {i}";
            var length = Math.Max(1, rng.Next(s.PromptTokens - spread, s.PromptTokens + spread + 1));
            ids[text] = Enumerable.Range(0, length).Select(_ => rng.Next(0, (int)Math.Min(vocab, 150000))).ToArray();
            samples[i] = new EvalSample("bench", "bench.jsonl", i, $"question {i}", "", null, text, null);
        }
        return (samples, ids);
    }

    private static string Name(GenerationMode mode) => mode == GenerationMode.Static ? "static" : "continuous";

    /// <summary>The model shape: a full-size one of <see cref="ModelBenchmarkConfigs.Shapes"/>, or a small one.</summary>
    private static ModelConfig Shape(string shape) => shape.ToLowerInvariant() switch
    {
        "small" => ModelBenchmarkConfigs.Small,
        "medium" => ModelBenchmarkConfigs.Medium,
        "small-qwen3" => ModelBenchmarkConfigs.SmallQwen3,
        _ => ModelBenchmarkConfigs.Shapes[shape],
    };

    private static Settings Parse(string[] args)
    {
        int prompts = 32, promptTokens = 300, samples = 8, answerTokens = 200, batch = 32, rounds = 1, threads = 0;
        var shape = "medium";
        var dtype = ScalarType.BFloat16;
        GenerationMode[] modes = [GenerationMode.Static, GenerationMode.Continuous];
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            int Int() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--prompts": prompts = Int(); break;
                case "--prompt-tokens": promptTokens = Int(); break;
                case "--samples": samples = Int(); break;
                case "--answer-tokens": answerTokens = Int(); break;
                case "--batch": batch = Int(); break;
                case "--rounds": rounds = Int(); break;
                case "--threads": threads = Int(); break;
                case "--shape": shape = args[++i]; break;
                case "--dtype": dtype = ModelLoadOptions.ParseDType(args[++i]); break;
                case "--modes":
                    modes = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(m => m switch
                    {
                        "static" => GenerationMode.Static,
                        "continuous" => GenerationMode.Continuous,
                        _ => throw new ArgumentException($"unknown mode '{m}' (static, continuous)"),
                    }).Distinct().ToArray();
                    break;
                case "--out": output = args[++i]; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (prompts < 1 || promptTokens < 1 || samples < 1 || answerTokens < 1 || batch < 1 || rounds < 1)
            throw new ArgumentException("--prompts, --prompt-tokens, --samples, --answer-tokens, --batch and --rounds must be positive");
        if (modes.Length == 0) throw new ArgumentException("--modes needs at least one mode");
        if (shape is not ("small" or "small-qwen3" or "medium") && !ModelBenchmarkConfigs.Shapes.ContainsKey(shape))
            throw new ArgumentException($"unknown shape '{shape}' (small, small-qwen3, medium, {string.Join(", ", ModelBenchmarkConfigs.Shapes.Keys)})");
        return new Settings(prompts, promptTokens, samples, answerTokens, batch, shape, dtype, modes, rounds, threads, output);
    }
}
