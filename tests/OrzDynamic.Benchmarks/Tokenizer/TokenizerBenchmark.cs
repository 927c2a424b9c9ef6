using OrzDynamic.Trainer.Tokenization;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrzDynamic.Core.Tokenization;

namespace OrzDynamic.Benchmarks.Tokenizer;

/// <summary>
/// <c>tokenizer</c> subcommand: measures HfTokenizer encode/decode throughput on the math500 prompts and writes a
/// markdown table. Usage: <c>tokenizer [--shared DIR] [--tokenizers qwen3,llama3,llama2] [--passes N] [--out FILE]</c>.
/// </summary>
public static class TokenizerBenchmark
{
    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        string? shared = null;
        var names = new[] { "qwen3", "llama3", "llama2" };
        var passes = 20;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shared": shared = args[++i]; break;
                case "--tokenizers": names = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--passes": passes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: tokenizer [--shared DIR] [--tokenizers qwen3,llama3] [--passes N] [--out FILE]");
                    return 2;
            }
        }
        shared ??= FindShared();
        if (shared is null)
        {
            Console.Error.WriteLine("shared/ not found: pass --shared DIR or set ORZ_SHARED_DIR.");
            return 2;
        }

        var prompts = LoadPrompts(Path.Combine(shared, "data", "eval_data", "math500.json"));
        var bytesPerPass = prompts.Sum(p => (long)Encoding.UTF8.GetByteCount(p));
        var report = new StringBuilder();
        report.AppendLine("# Tokenizer throughput (HfTokenizer)")
            .AppendLine()
            .AppendLine($"Input: math500 prompts (`prompt[0].value`), {prompts.Count} texts, {bytesPerPass:N0} UTF-8 bytes per pass. ")
            .AppendLine($"Build: {(IsRelease() ? "Release" : "Debug")}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {RuntimeInformationText()}. ")
            .AppendLine($"Machine load at start (1/5/15-min load average): {MachineLoad.Averages(" / ")} — other jobs share the 2 cores, so figures are lower bounds. ")
            .AppendLine("`Encode(text, addSpecialTokens: true)` per prompt. *Cold* = first pass right after loading (empty BPE word cache); ")
            .AppendLine($"*warm* = mean of {passes} further passes (single thread); *parallel* = {passes} passes with Parallel.ForEach over prompts.")
            .AppendLine()
            .AppendLine("*warm MB/CPU-s* divides by the process CPU time of the warm loop instead of wall time (robust to other jobs on the machine; includes GC threads).")
            .AppendLine()
            .AppendLine("| tokenizer | load (ms) | tokens/pass | cold MB/s | warm MB/s | warm MB/CPU-s | parallel MB/s | warm tokens/s | decode MB/s |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");

        foreach (var name in names)
        {
            var dir = Path.Combine(shared, "tokenizers", name);
            if (!Directory.Exists(dir)) { Console.Error.WriteLine($"skipping {name}: {dir} not found"); continue; }
            var watch = Stopwatch.StartNew();
            var tok = HfTokenizer.FromDirectory(dir);
            var loadMs = watch.Elapsed.TotalMilliseconds;

            watch.Restart();
            var encoded = prompts.Select(p => tok.Encode(p, addSpecialTokens: true)).ToList();
            var cold = watch.Elapsed.TotalSeconds;
            long tokens = encoded.Sum(e => e.Count);

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            watch.Restart();
            for (var pass = 0; pass < passes; pass++)
                foreach (var p in prompts) tok.Encode(p, addSpecialTokens: true);
            var warm = watch.Elapsed.TotalSeconds / passes;
            var warmCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / passes;

            watch.Restart();
            for (var pass = 0; pass < passes; pass++)
                Parallel.ForEach(prompts, p => tok.Encode(p, addSpecialTokens: true));
            var parallel = watch.Elapsed.TotalSeconds / passes;

            watch.Restart();
            for (var pass = 0; pass < passes; pass++)
                foreach (var ids in encoded) tok.Decode(ids, skipSpecialTokens: true);
            var decode = watch.Elapsed.TotalSeconds / passes;

            double Mbps(double seconds) => bytesPerPass / 1e6 / seconds;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {loadMs:F0} | {tokens:N0} | {Mbps(cold):F2} | {Mbps(warm):F2} | {Mbps(warmCpu):F2} | {Mbps(parallel):F2} | {tokens / warm:N0} | {Mbps(decode):F2} |");
            Console.WriteLine(line);
            report.AppendLine(line);
        }

        report.AppendLine().Append(TrainerSection(shared));

        Console.WriteLine();
        if (output is not null)
        {
            File.WriteAllText(output, report.ToString());
            Console.WriteLine($"wrote {output}");
        }
        else Console.WriteLine(report);
        return 0;
    }

    private static string TrainerSection(string shared)
    {
        var corpus = new List<string>();
        foreach (var name in new[] { "math500", "aime2024", "gpqa_diamond", "eval_jericho_dataset_4games_1.4k_instruct_20251012" })
        {
            var path = Path.Combine(shared, "data", "eval_data", name + ".json");
            if (File.Exists(path)) corpus.AddRange(LoadPrompts(path));
        }
        var bytes = corpus.Sum(c => (long)Encoding.UTF8.GetByteCount(c));
        var options = new ByteLevelBpeTrainerOptions { VocabSize = 1000, SpecialTokens = ["<|endoftext|>", "<think>", "</think>", "<answer>", "</answer>"] };
        var watch = Stopwatch.StartNew();
        var trained = new ByteLevelBpeTrainer(options).Train(corpus);
        var trainMs = watch.Elapsed.TotalMilliseconds;
        var dir = Path.Combine(Path.GetTempPath(), "orz-bench-tok-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            trained.Save(dir);
            var tok = HfTokenizer.FromDirectory(dir);
            long tokens = 0;
            var roundTrips = 0;
            watch.Restart();
            foreach (var text in corpus)
            {
                var ids = tok.Encode(text);
                tokens += ids.Count;
                if (tok.Decode(ids) == text) roundTrips++;
            }
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| {corpus.Count} prompts | {bytes:N0} | {trained.VocabSize} | {trainMs:F0} | {(double)bytes / tokens:F2} | {roundTrips}/{corpus.Count} |");
            Console.WriteLine(line);
            return new StringBuilder()
                .AppendLine("## ByteLevelBpeTrainer")
                .AppendLine()
                .AppendLine("Training a byte-level BPE (target 1000 ids, 5 special tokens) on all eval_data prompts, then encoding the same prompts ")
                .AppendLine("with the written tokenizer.json (bytes per token = compression) and checking decode(encode(x)) == x.")
                .AppendLine()
                .AppendLine("| corpus | UTF-8 bytes | ids | train (ms) | bytes/token | round trips |")
                .AppendLine("|---|---:|---:|---:|---:|---:|")
                .AppendLine(line)
                .ToString();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    private static List<string> LoadPrompts(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new List<string>();
        foreach (var record in doc.RootElement.EnumerateArray())
            result.Add(record.GetProperty("prompt")[0].GetProperty("value").GetString() ?? "");
        return result;
    }

    private static string? FindShared()
    {
        var env = Environment.GetEnvironmentVariable("ORZ_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "tokenizers"))) return candidate;
        }
        return Directory.Exists("/work/shared") ? "/work/shared" : null;
    }

    private static bool IsRelease()
    {
        var attribute = typeof(TokenizerBenchmark).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().FirstOrDefault();
        return attribute is null || !attribute.IsJITOptimizerDisabled;
    }

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.OSDescription;
}
