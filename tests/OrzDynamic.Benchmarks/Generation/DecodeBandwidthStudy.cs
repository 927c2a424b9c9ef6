using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Precision;
using static TorchSharp.torch;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// Decode at batch 1 against the streaming read of the same moment, for several configurations (dtype × decode kernels
/// on or off) interleaved round by round: in each round every configuration in turn runs <see cref="SettleSteps"/>
/// untimed steps, reads the probe, runs <see cref="StepsPerRound"/> timed steps and reads again, so its timed steps sit
/// between two reads and every configuration samples the same stretch of time.
/// </summary>
/// <remarks>
/// This host's read switches between two states (about 40–53 and 70–80 GB/s) for seconds to tens of seconds at a time.
/// A round counts only when the reads before and after its steps agree within <see cref="StableReadRatio"/> (else the
/// state changed during the steps and neither read describes them); its bandwidth use is weight bytes ÷ its median
/// step time ÷ the higher of the two reads (the stricter choice). Stable rounds are also split by state at
/// <see cref="FastReadThreshold"/>, so each state's figure is reported on its own.
/// </remarks>
internal static class DecodeBandwidthStudy
{
    /// <summary>Decoding steps per configuration per round.</summary>
    public const int StepsPerRound = 4;

    /// <summary>Steps run before timing, so the JIT has compiled the kernels at full optimisation.</summary>
    private const int WarmUpSteps = 8;

    /// <summary>
    /// Untimed steps at the start of each configuration's turn: libtorch's first steps after another configuration ran
    /// are up to 30 % slower than its settled ones (the kernels' are not), which would otherwise count against it.
    /// </summary>
    private const int SettleSteps = 2;

    /// <summary>The lower of a round's two reads must be at least this share of the higher one.</summary>
    public const double StableReadRatio = 0.85;

    /// <summary>Reads at or above this (bytes/s) are this host's fast state; below, its slower state.</summary>
    public const double FastReadThreshold = 60e9;

    /// <summary>
    /// One configuration to decode with: a model (its dtype), whether the decode kernels are on, and the name of the
    /// model's shape (e.g. "Qwen3-0.6B shape"; null when the run has only one).
    /// </summary>
    public sealed record Configuration(CausalLM Model, bool Kernels, string? Shape = null)
    {
        /// <summary>e.g. "bfloat16, decode kernels" or "Qwen3-0.6B shape, bfloat16, decode kernels".</summary>
        public string Name => $"{(Shape is null ? "" : Shape + ", ")}{PrecisionPlan.Name(Model.DType)}, {(Kernels ? "decode kernels" : "libtorch only")}";
    }

    private readonly record struct Round(double ReadBefore, double ReadAfter, double[] StepSeconds)
    {
        public double Read => Math.Max(ReadBefore, ReadAfter);
        public bool Stable => Math.Min(ReadBefore, ReadAfter) >= StableReadRatio * Read;
        public bool Fast => Read >= FastReadThreshold;
        public double MedianStep => SampleMedian.Of(StepSeconds);
    }

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds over <paramref name="configurations"/>, appends each configuration's
    /// details (every round's reads and step times) to <paramref name="report"/>, and returns one markdown table row per
    /// configuration (columns as <see cref="TableHeader"/>). Restores <see cref="DecodeKernels.Enabled"/> to true.
    /// </summary>
    public static List<string> Run(IReadOnlyList<Configuration> configurations, Tensor probe, int rounds, StringBuilder report)
    {
        using var scope = NewDisposeScope();
        var caches = new List<KvCache>();
        var next = new List<Tensor>();
        var results = configurations.Select(_ => new List<Round>()).ToArray();
        try
        {
            foreach (var c in configurations)
            {
                DecodeKernels.Enabled = c.Kernels;
                var cache = c.Model.CreateCache(1, 64 + WarmUpSteps + rounds * (SettleSteps + StepsPerRound) + 4);
                caches.Add(cache);
                using var ids = randint(0, c.Model.Config.VocabSize, [1, 64], ScalarType.Int64, generator: new TorchSharp.torch.Generator(2));
                var token = Step(c.Model, ids, cache);
                for (var i = 0; i < WarmUpSteps; i++) token = Step(c.Model, token, cache);
                next.Add(token);
                Console.Error.WriteLine($"[decode] {c.Name}: warmed up");
            }
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < configurations.Count; i++)
                {
                    var c = configurations[i];
                    DecodeKernels.Enabled = c.Kernels;
                    for (var s = 0; s < SettleSteps; s++) next[i] = Step(c.Model, next[i], caches[i]);
                    var read = StreamingRead.Measure(probe, 1);
                    var times = new double[StepsPerRound];
                    for (var s = 0; s < StepsPerRound; s++)
                    {
                        var sw = Stopwatch.StartNew();
                        next[i] = Step(c.Model, next[i], caches[i]);
                        times[s] = sw.Elapsed.TotalSeconds;
                    }
                    var after = StreamingRead.Measure(probe, 1);
                    results[i].Add(new Round(read, after, times));
                }
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[decode] round {round + 1}/{rounds}: {string.Join("; ", results.Select((r, i) => $"{configurations[i].Name} {r[^1].MedianStep * 1e3:F0} ms, read {r[^1].ReadBefore / 1e9:F0}/{r[^1].ReadAfter / 1e9:F0} GB/s"))}"));
            }
        }
        finally
        {
            DecodeKernels.Enabled = true;
            foreach (var cache in caches) cache.Dispose();
        }
        var load = MachineLoad.Averages(", ", "load average ");
        return configurations.Select((c, i) => Describe(c, results[i], report, load)).ToList();
    }

    /// <summary>The header and separator of the rows <see cref="Run"/> returns.</summary>
    public static string TableHeader =>
        "| decode B=1 | tok/s (median step) | weight bytes/token | achieved GB/s | read around the steps: median (range) | bandwidth use, stable rounds | fast state (read ≥ 60 GB/s) | slower state | rounds left out | load |\n"
        + "|---|---|---|---|---|---|---|---|---|---|";

    private static Tensor Step(CausalLM model, Tensor input, KvCache cache)
    {
        using var result = model.Forward(input, cache: cache, logits: LogitsMode.LastPosition);
        return result.Logits!.argmax(-1).view(1, 1);
    }

    private static string Describe(Configuration c, List<Round> rounds, StringBuilder report, string load)
    {
        var bytes = (double)c.Model.Config.ParameterCount * PrecisionPlan.ElementSize(c.Model.DType);
        var steps = rounds.SelectMany(r => r.StepSeconds).ToList();
        var median = SampleMedian.Of(steps);
        var reads = rounds.SelectMany(r => new[] { r.ReadBefore, r.ReadAfter }).ToList();
        var stable = rounds.Where(r => r.Stable).ToList();
        string Use(IEnumerable<Round> subset)
        {
            var list = subset.ToList();
            if (list.Count == 0) return "none";
            var use = SampleMedian.Of(list.Select(r => bytes / r.MedianStep / r.Read));
            var tokens = SampleMedian.Of(list.Select(r => 1 / r.MedianStep));
            return string.Create(CultureInfo.InvariantCulture, $"**{100 * use:F0} %** ({list.Count} rounds, {tokens:F1} tok/s, read {SampleMedian.Of(list.Select(r => r.Read)) / 1e9:F0} GB/s)");
        }
        var all = Use(stable);
        var fast = Use(stable.Where(r => r.Fast));
        var slower = Use(stable.Where(r => !r.Fast));
        var readRange = string.Create(CultureInfo.InvariantCulture, $"{SampleMedian.Of(reads) / 1e9:F1} GB/s ({reads.Min() / 1e9:F1}–{reads.Max() / 1e9:F1})");
        var left = rounds.Count - stable.Count;
        report.AppendLine(CultureInfo.InvariantCulture,
            $"- decode B=1 {c.Name}: median step {1 / median:F2} tok/s (best {1 / steps.Min():F2}) over {steps.Count} steps in {rounds.Count} rounds; {bytes / 1e9:F2} GB of weights per token → {bytes / median / 1e9:F1} GB/s; read around the steps {readRange}; bandwidth use over stable rounds: {all}; fast state: {fast}; slower state: {slower}; left out (reads before and after differ by more than {100 * (1 - StableReadRatio):F0} %): {left}; load {load}");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"  - rounds (read before/after GB/s: step ms …): {string.Join("; ", rounds.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.ReadBefore / 1e9:F0}/{r.ReadAfter / 1e9:F0}{(r.Stable ? "" : "*")}: {string.Join(" ", r.StepSeconds.Select(t => (t * 1e3).ToString("F0", CultureInfo.InvariantCulture)))}")))}");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {c.Name} | {1 / median:F2} (best {1 / steps.Min():F2}) | {bytes / 1e9:F2} GB | {bytes / median / 1e9:F1} | {readRange} | {all} | {fast} | {slower} | {left} of {rounds.Count} | {load} |");
    }
}
