using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Benchmarks.Model;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Smoke;

/// <summary>
/// Real-size smoke run (issue 14): the whole pipeline (load, generate, check, score, aggregate, summary) on the
/// Qwen2.5-0.5B shape with generated weights (vocab_size 151936, i.e. a padded vocabulary) and the shared qwen3
/// tokenizer (151,669 ids), over the first math500 prompts. Catches what only shows at real size (padded-vocabulary
/// ids, long real prompts, memory). Prints time, tokens/s, peak RSS, RSS after each sample and the machine load.
/// <code>dotnet run -c Release --project tests/OrzDynamic.Benchmarks -- smoke [--prompts 4] [--max-len 32] [--batch 4] [--dir /tmp/orz-smoke-qwen25-05b] [--layers 24 --hidden 896]</code>
/// </summary>
internal static class RealSizeSmoke
{
    public static int Run(string[] args)
    {
        int prompts = IntOption(args, "--prompts", 4), maxLen = IntOption(args, "--max-len", 32), batch = IntOption(args, "--batch", 4);
        var dir = StringOption(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "orz-smoke-qwen25-05b");
        var shared = StringOption(args, "--shared") ?? Environment.GetEnvironmentVariable("ORZ_SHARED_DIR") ?? FindShared();
        var tokenizerDir = Path.Combine(shared, "tokenizers", "qwen3");
        var math500 = Path.Combine(shared, "data", "eval_data", "math500.json");
        if (!File.Exists(Path.Combine(tokenizerDir, "tokenizer.json")) || !File.Exists(math500))
        {
            Console.Error.WriteLine($"smoke: needs {tokenizerDir}/tokenizer.json and {math500} (pass --shared DIR or set ORZ_SHARED_DIR)");
            return 2;
        }
        // --layers/--hidden shrink the model (vocabulary and tokenizer stay real-size), e.g. for memory probes over many prompts.
        int layers = IntOption(args, "--layers", ModelBenchmarkConfigs.Qwen25_05B.NumHiddenLayers);
        int hidden = IntOption(args, "--hidden", ModelBenchmarkConfigs.Qwen25_05B.HiddenSize);
        var shape = ModelBenchmarkConfigs.Qwen25_05B with
        {
            NumHiddenLayers = layers,
            HiddenSize = hidden,
            IntermediateSize = hidden == ModelBenchmarkConfigs.Qwen25_05B.HiddenSize ? ModelBenchmarkConfigs.Qwen25_05B.IntermediateSize : hidden * 4,
            NumAttentionHeads = hidden / ModelBenchmarkConfigs.Qwen25_05B.HeadDim,
        };
        var checkpoint = Path.Combine(dir, $"qwen25-shape-l{layers}-h{hidden}-random");
        var total = Stopwatch.StartNew();
        EnsureCheckpoint(checkpoint, tokenizerDir, shape);
        var build = total.Elapsed;

        var data = Path.Combine(dir, "math500_head.json");
        var records = JsonNode.Parse(File.ReadAllText(math500))!.AsArray().Take(prompts).Select(n => n!.DeepClone()).ToArray();
        File.WriteAllText(data, new JsonArray(records).ToJsonString());
        var outDir = Path.Combine(dir, "out");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);

        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new StderrLoggerProvider()));
        var config = new EvaluatorConfig
        {
            ModelPath = checkpoint,
            EvalPromptData = [data],
            OutputDir = outDir,
            GenerateMaxLen = maxLen,
            BatchSize = batch,
            Temperature = 1.0,
            Seed = 42,
            EnableVisualization = false,
        };
        var rssAfter = new List<(int Samples, long Rss)>();
        using var peak = new PeakRssSampler();
        var watch = Stopwatch.StartNew();
        EvalResults results;
        long tokens = 0;
        using (var evaluator = new Evaluator(config, loggerFactory))
        {
            var load = watch.Elapsed;
            var progress = new SyncProgress(p =>
            {
                tokens = Math.Max(tokens, p.GeneratedTokens);
                if (p.Stage == EvalStage.Scoring && p.Dataset is not null) rssAfter.Add((p.CompletedSamples, ProcessMemory.RssBytes()));
            });
            results = evaluator.EvalAsync(progress: progress).GetAwaiter().GetResult();
            Console.WriteLine($"model load: {load.TotalSeconds:0.0} s");
        }
        var eval = watch.Elapsed;
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, OutputLayout.Summary)))!["results"]!;
        string R(string key) => summary[key]?.ToString() ?? "?";
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(ci, $"smoke: Qwen2.5-0.5B shape with {layers} layers × {hidden} (generated weights, {Environment.GetEnvironmentVariable("OMP_NUM_THREADS") ?? "default"} threads), qwen3 tokenizer, {prompts} math500 prompts, generate_max_len {maxLen}, batch {batch}"));
        Console.WriteLine(string.Create(ci, $"  checkpoint build/reuse {build.TotalSeconds:0.0} s; evaluation {eval.TotalSeconds:0.0} s; {tokens} tokens generated ({tokens / Math.Max(1e-9, eval.TotalSeconds):0.0} tok/s incl. load and scoring)"));
        Console.WriteLine($"  evaluated {R("math500_head/evaluated")}, invalid {R("math500_head/invalid")}, skipped too long {R("math500_head/skipped_too_long")}, " +
                          $"context_limited {R("math500_head/context_limited")}, padded_vocab_tokens {R("math500_head/padded_vocab_tokens")}, accuracy {R("math500_head/accuracy")}");
        Console.WriteLine(string.Create(ci, $"  peak RSS {peak.PeakBytes / 1048576.0:0} MB; RSS after samples: {string.Join(", ", rssAfter.Select(x => $"{x.Samples}:{x.Rss / 1048576.0:0} MB"))}"));
        Console.WriteLine($"  load: {MachineLoad.Line()}");
        Console.WriteLine($"  results: {outDir}");
        return results.Datasets.Count == 1 ? 0 : 1;
    }

    /// <summary>Writes the random-weight checkpoint once (bfloat16 storage, ~1 GB); later runs reuse it.</summary>
    private static void EnsureCheckpoint(string checkpoint, string tokenizerDir, ModelConfig shape)
    {
        var tokenizer = HfTokenizer.FromDirectory(tokenizerDir);
        var config = shape with { EosTokenIds = [.. tokenizer.EosTokenIds] };
        if (!File.Exists(Path.Combine(checkpoint, CheckpointLoader.SingleFileName)))
        {
            Console.Error.WriteLine($"[smoke] writing a random-weight {config.ParameterCount / 1e6:0}M-parameter checkpoint to {checkpoint}");
            using var scope = NewDisposeScope();
            using var model = new CausalLM(config, ScalarType.Float32, CPU);
            using (no_grad())
            {
                var g = new torch.Generator(20251130);
                foreach (var (name, p) in model.NamedWeights())
                {
                    if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
                    else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.normal_(0, 0.1, g);
                    else p.normal_(0, 0.02, g);
                }
            }
            CheckpointWriter.Save(model, checkpoint, ScalarType.BFloat16);
        }
        foreach (var f in Directory.GetFiles(tokenizerDir, "tokenizer*.json"))
            File.Copy(f, Path.Combine(checkpoint, Path.GetFileName(f)), overwrite: true);
    }

    private static string FindShared()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "..", "shared");
            if (File.Exists(Path.Combine(d.FullName, "OrzDynamic.sln")) && Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return "/work/shared";
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? StringOption(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class SyncProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }

    private sealed class StderrLoggerProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StderrLogger();

        public void Dispose()
        {
        }

        private sealed class StderrLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) Console.Error.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}");
            }
        }
    }
}
