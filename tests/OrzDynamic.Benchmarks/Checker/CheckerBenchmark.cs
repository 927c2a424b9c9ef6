using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Benchmarks.Checker;

/// <summary>
/// <c>checker</c> subcommand: time per answer check of the <c>math</c> (free-form) and <c>orz</c> checkers on
/// shared/reference/answers/cases.jsonl (gold, model output), each case checked once per pass on one thread; reports
/// median, p90, p99 and maximum per check and the verdict/stage counts, as a markdown table.
/// Usage: <c>checker [--shared DIR] [--passes N] [--out FILE]</c>.
/// </summary>
public static class CheckerBenchmark
{
    /// <summary>Target of the 99th percentile of the time per check.</summary>
    private const double P99TargetMs = 50;

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        string? shared = null;
        var passes = 20;
        string? output = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shared": shared = args[++i]; break;
                case "--passes": passes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'. Usage: checker [--shared DIR] [--passes N] [--out FILE]");
                    return 2;
            }
        }
        shared ??= FindShared();
        if (shared is null)
        {
            Console.Error.WriteLine("shared/ not found: pass --shared DIR or set ORZ_SHARED_DIR.");
            return 2;
        }
        var path = Path.Combine(shared, "reference", "answers", "cases.jsonl");
        var cases = LoadCases(path);

        var report = new StringBuilder();
        report.AppendLine("# Answer checker throughput")
            .AppendLine()
            .AppendLine($"Input: `reference/answers/cases.jsonl`, {cases.Count} (gold, model output) pairs; each pass checks every pair once. ")
            .AppendLine($"Build: {(IsRelease() ? "Release" : "Debug")}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, " +
                        $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}. ")
            .AppendLine($"Machine load at start (1/5/15-min load average): {MachineLoad.Averages(" / ")} — other jobs share the cores, so figures are upper bounds. ")
            .AppendLine($"One warm-up pass, then {passes} timed passes on one thread; every `Check` call is timed on its own (default limit 1 s per check).")
            .AppendLine()
            .AppendLine("| checker | checks | median (ms) | p90 (ms) | p99 (ms) | max (ms) | mean (ms) | checks/s | p99 ≤ 50 ms | correct | stages |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---|");

        foreach (var (name, checker) in new (string, IAnswerChecker)[] { ("math", new MathAnswerChecker()), ("orz", new OrzAnswerChecker()) })
        {
            foreach (var (gold, outputText) in cases) checker.Check(gold, outputText);
            var times = new List<double>(cases.Count * passes);
            var stages = new SortedDictionary<string, int>(StringComparer.Ordinal);
            int correct = 0;
            var total = Stopwatch.StartNew();
            for (var pass = 0; pass < passes; pass++)
            {
                foreach (var (gold, outputText) in cases)
                {
                    var watch = Stopwatch.StartNew();
                    var r = checker.Check(gold, outputText);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    if (pass == 0)
                    {
                        stages[r.Stage.ToString()] = stages.GetValueOrDefault(r.Stage.ToString()) + 1;
                        if (r.IsCorrect) correct++;
                    }
                }
            }
            var seconds = total.Elapsed.TotalSeconds;
            times.Sort();
            double p99 = Percentile(times, 0.99);
            report.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| `{name}` | {times.Count:N0} | {SampleMedian.Of(times):0.000} | {Percentile(times, 0.90):0.000} | {p99:0.000} | {times[^1]:0.0} | " +
                $"{times.Average():0.000} | {times.Count / seconds:N0} | {(p99 <= P99TargetMs ? "yes" : "**no**")} | {correct}/{cases.Count} | " +
                $"{string.Join(", ", stages.Select(s => $"{s.Key} {s.Value}"))} |"));
        }

        var text = report.ToString();
        Console.Write(text);
        if (output is not null) File.WriteAllText(output, text);
        return 0;
    }

    /// <summary>The nearest-rank percentile of already sorted values.</summary>
    private static double Percentile(List<double> sorted, double q)
    {
        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    private static List<(string Gold, string Output)> LoadCases(string path)
    {
        var cases = new List<(string, string)>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            cases.Add((doc.RootElement.GetProperty("gold").GetString()!, doc.RootElement.GetProperty("output").GetString()!));
        }
        return cases;
    }

    private static string? FindShared()
    {
        var env = Environment.GetEnvironmentVariable("ORZ_SHARED_DIR");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "reference"))) return candidate;
        }
        return null;
    }

    private static bool IsRelease()
    {
        var attribute = typeof(CheckerBenchmark).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false).OfType<DebuggableAttribute>().FirstOrDefault();
        return attribute is null || !attribute.IsJITOptimizerDisabled;
    }
}
