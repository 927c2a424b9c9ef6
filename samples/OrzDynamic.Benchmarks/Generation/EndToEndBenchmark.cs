using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Benchmarks.Model;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Precision;
using OrzDynamic.Core.Scoring;
using OrzDynamic.Metrics;
using OrzDynamic.Metrics.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// End-to-end generation + scoring on the Qwen2.5-0.5B shape with generated weights stored in bfloat16 (like real
/// checkpoints): (a) float32 static batches, (b) bfloat16 generation + float32 scoring (layer-by-layer upcast), static,
/// (c) the same with continuous batching. Also decode at batch 1 in both dtypes against the streaming bandwidth
/// measured in the same run. Usage:
/// <c>generation [--prompts 32] [--scale 1] [--median 200] [--sigma 1] [--cap 2000] [--slots 8] [--modes a,b,c] [--small] [--threads N] [--out FILE]</c>.
/// </summary>
internal static class EndToEndBenchmark
{
    private sealed record Settings(int Prompts, double Median, double Sigma, int Cap, int Slots, string[] Modes, bool Small, int Threads, string? Output, int DecodeSteps);

    public static int Run(string[] args)
    {
        Settings s;
        try
        {
            s = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"generation: {e.Message}");
            Console.Error.WriteLine("options: --prompts N --scale X --median N --sigma X --cap N --slots N --modes a,a*,b,c,decode --small --threads N --decode-steps N --out FILE");
            return 2;
        }
        OrzDynamic.Metrics.Native.TorchNativeLoader.EnsureRegistered();
        if (s.Threads > 0) set_num_threads(s.Threads);
        var config = s.Small ? ModelBenchmarkConfigs.Small : ModelBenchmarkConfigs.Qwen25_05B;
        var workload = EndToEndWorkload.Draw(s.Prompts, s.Median, s.Sigma, s.Cap, 32, 96, config.VocabSize, 20251130);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Config: {(s.Small ? "small smoke config" : "Qwen2.5-0.5B shape")} ({config.ParameterCount / 1e6:F1}M parameters), generated weights stored in bfloat16. Threads: torch {get_num_threads()}, {Environment.ProcessorCount} logical CPUs. {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Workload: {workload.Describe()} (lognormal median {s.Median}, σ {s.Sigma}, cap {s.Cap}; each answer stopped at its drawn length). Slots / batch: {s.Slots}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load at start: {Uptime()}");
        report.AppendLine();
        Console.Error.WriteLine(report);

        var bandwidth = StreamingBandwidth();
        report.AppendLine(CultureInfo.InvariantCulture, $"- Streaming bandwidth (read of a 1.24 GB float32 tensor, the better of libtorch's sum and a vector sum on the kernel workers, best of 5): {bandwidth / 1e9:F1} GB/s; load {Uptime()}");

        var rows = new List<string>();
        double? baseline = null;
        using var bf16 = new CausalLM(config, ScalarType.BFloat16, CPU);
        FillRandom(bf16);
        if (s.Modes.Contains("decode"))
        {
            using var f32 = MixedPrecisionModel.ConvertedCopy(bf16, ScalarType.Float32);
            using var probe = StreamingProbe();
            foreach (var model in new[] { bf16, f32 })
                foreach (var kernel in new[] { true, false })
                {
                    DecodeKernels.Enabled = kernel;
                    rows.Add(DecodeRow(model, probe, s.DecodeSteps, report, kernel ? "decode kernels" : "libtorch only"));
                }
            DecodeKernels.Enabled = true;
            bandwidth = Math.Max(bandwidth, StreamingBandwidth()); // again after the decode runs: the better of the two
        }
        var table = new List<string>();
        foreach (var mode in s.Modes.Where(m => m is "a" or "a*" or "b" or "c"))
        {
            GC.Collect();
            // (a) is the issue's baseline, the code as it was: libtorch's linear for every product. The other modes use
            // the decoding-step kernel (SmallBatchGemv); (a*) is float32 static with it, to separate its share.
            DecodeKernels.Enabled = mode != "a";
            var result = mode switch
            {
                "a" or "a*" => RunFloat32Static(bf16, workload, s.Slots, mode == "a*"),
                "b" => RunPipeline(bf16, workload, s.Slots, continuous: false),
                _ => RunPipeline(bf16, workload, s.Slots, continuous: true),
            };
            if (mode == "a") baseline = result.Total;
            var speedup = baseline is double b ? $"{b / result.Total:F2}×" : "n/a";
            var line = string.Create(CultureInfo.InvariantCulture,
                $"| ({mode}) {result.Name} | {result.Total:F0} | {result.Generation:F0} | {result.Scoring:F0} | {workload.AnswerTokens / result.Total:F2} | {workload.AnswerTokens / result.Generation:F2} | {result.RowSteps} | {speedup} | {result.PeakRss / 1e9:F2} | {result.Load} |");
            table.Add(line);
            Console.Error.WriteLine(line);
        }

        report.AppendLine(CultureInfo.InvariantCulture, $"Load at end: {Uptime()}");
        report.AppendLine();
        if (rows.Count > 0)
        {
            report.AppendLine("| decode B=1 | tok/s | weight bytes/token | achieved GB/s | streaming read before each round: median (range) | bandwidth use: median over rounds (range) | load |");
            report.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var r in rows) report.AppendLine(r);
            report.AppendLine();
        }
        if (table.Count > 0)
        {
            report.AppendLine("| mode | total s | generation s | scoring s | useful tok/s (total) | generation tok/s | row-steps decoded | speed-up vs (a) | peak RSS GB | load (uptime after) |");
            report.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var t in table) report.AppendLine(t);
        }
        var text = report.ToString();
        var path = s.Output ?? "generation-benchmark-raw.md";
        File.WriteAllText(path, text);
        Console.WriteLine(text);
        Console.WriteLine($"written to {path}");
        return 0;
    }

    private sealed record ModeResult(string Name, double Total, double Generation, double Scoring, long RowSteps, long PeakRss, string Load);

    /// <summary>(a): today's default for a bfloat16 checkpoint: everything in float32 (exact upcast at load), static batches.</summary>
    private static ModeResult RunFloat32Static(CausalLM bf16, EndToEndWorkload workload, int slots, bool kernel)
    {
        using var f32 = MixedPrecisionModel.ConvertedCopy(bf16, ScalarType.Float32);
        return Pipeline(kernel ? "float32 static, decode kernel" : "float32 static, libtorch linear", f32, f32, ScalarType.Float32, workload, slots, continuous: false);
    }

    /// <summary>(b)/(c): bfloat16 generation on the stored weights, float32 scoring converting them layer by layer.</summary>
    private static ModeResult RunPipeline(CausalLM bf16, EndToEndWorkload workload, int slots, bool continuous) =>
        Pipeline(continuous ? "bf16 gen + f32 scoring, continuous" : "bf16 gen + f32 scoring, static", bf16, bf16, ScalarType.Float32, workload, slots, continuous);

    private static ModeResult Pipeline(string name, CausalLM generation, CausalLM scoring, ScalarType scoringDType, EndToEndWorkload workload, int slots, bool continuous)
    {
        Console.Error.WriteLine($"[generation] {name}: start, load {Uptime()}");
        ProcessMemory.TryResetPeak();
        using var peak = new PeakRssSampler();
        var options = new GenerationOptions { MaxNewTokens = workload.MaxAnswer, EosTokenIds = [] };
        var scorer = new SequenceScorer(scoring, MetricsOptions.Default, computeDType: scoringDType);
        var requests = workload.Requests;
        double genSeconds = 0, scoreSeconds = 0;
        long rowSteps = 0;
        var total = Stopwatch.StartNew();
        var clock = Stopwatch.StartNew();
        void Score(GenerationRequest request, GenerationResult result)
        {
            genSeconds += clock.Elapsed.TotalSeconds;
            clock.Restart();
            if (result.TokenIds.Count != request.MaxNewTokens) throw new InvalidOperationException($"answer of {result.TokenIds.Count} tokens, drawn {request.MaxNewTokens}");
            var seq = request.PromptIds.Concat(result.TokenIds).ToArray();
            var labels = seq.Select((id, i) => i < request.PromptIds.Count ? LearningDynamics.IgnoreIndex : (long)id).ToArray();
            var m = scorer.Score(seq, labels);
            if (!double.IsFinite(m.OutToken)) throw new InvalidOperationException("non-finite metrics");
            scoreSeconds += clock.Elapsed.TotalSeconds;
            clock.Restart();
        }
        if (continuous)
        {
            var g = new ContinuousBatchGenerator(generation, slots);
            var done = 0;
            foreach (var (i, r) in g.Generate(requests, options))
            {
                Score(requests[i], r);
                if (++done % 4 == 0) Console.Error.WriteLine($"[generation] {name}: {done}/{requests.Count} answers, {total.Elapsed.TotalSeconds:F0} s");
            }
            rowSteps = requests.Sum(r => (long)r.MaxNewTokens!.Value); // no slot idles while the queue is not empty; free rows are dropped
            Console.Error.WriteLine($"[generation] {name}: {g.LastSteps} decoding steps, {g.LastCompactions} compactions");
        }
        else
        {
            var g = new TextGenerator(generation);
            foreach (var batch in requests.Chunk(slots))
            {
                var results = g.Generate(batch, options);
                rowSteps += (long)batch.Length * batch.Max(r => r.MaxNewTokens!.Value);
                for (var k = 0; k < batch.Length; k++) Score(batch[k], results[k]);
                Console.Error.WriteLine($"[generation] {name}: batch done, {total.Elapsed.TotalSeconds:F0} s");
            }
        }
        var load = Uptime();
        Console.Error.WriteLine($"[generation] {name}: {total.Elapsed.TotalSeconds:F0} s (generation {genSeconds:F0} s, scoring {scoreSeconds:F0} s), load {load}");
        return new ModeResult(name, total.Elapsed.TotalSeconds, genSeconds, scoreSeconds, rowSteps, Math.Max(peak.PeakBytes, ProcessMemory.PeakRssBytes()), load);
    }

    /// <summary>Steps per round of <see cref="DecodeRow"/>, each round following its own streaming read.</summary>
    private const int StepsPerRound = 4;

    /// <summary>
    /// Decode at batch 1 after a 64-token prompt, interleaved with the streaming read: rounds of one read of
    /// <paramref name="probe"/> followed by <see cref="StepsPerRound"/> steps, so that every step is compared with the
    /// memory rate of the same moment (this host's rate drifts by up to 2× from minute to minute). Bandwidth use is the
    /// median over rounds of (weight bytes ÷ the round's median step time) ÷ the round's read.
    /// </summary>
    private static string DecodeRow(CausalLM model, Tensor probe, int steps, StringBuilder report, string path)
    {
        using var scope = NewDisposeScope();
        var rounds = Math.Max(1, steps / StepsPerRound);
        const int warmUp = 8; // lets the JIT compile the kernels at full optimisation before timing
        using var cache = model.CreateCache(1, 64 + warmUp + rounds * StepsPerRound + 4);
        var ids = randint(0, model.Config.VocabSize, [1, 64], ScalarType.Int64, generator: new torch.Generator(2));
        var next = model.Forward(ids, cache: cache, logits: LogitsMode.LastPosition).Logits!.argmax(-1).view(1, 1);
        for (var i = 0; i < warmUp; i++)
            next = model.Forward(next, cache: cache, logits: LogitsMode.LastPosition).Logits!.argmax(-1).view(1, 1);
        var bytes = (double)model.Config.ParameterCount * PrecisionPlan.ElementSize(model.DType);
        var times = new List<double>();
        var roundLog = new List<string>();
        var reads = new List<double>();
        var ratios = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var read = StreamingRead(probe, 1);
            var roundTimes = new List<double>();
            for (var i = 0; i < StepsPerRound; i++)
            {
                var sw = Stopwatch.StartNew();
                using var r = model.Forward(next, cache: cache, logits: LogitsMode.LastPosition);
                next = r.Logits!.argmax(-1).view(1, 1);
                roundTimes.Add(sw.Elapsed.TotalSeconds);
            }
            times.AddRange(roundTimes);
            roundLog.Add(string.Create(CultureInfo.InvariantCulture, $"{read / 1e9:F0}: {string.Join(" ", roundTimes.Select(t => (t * 1e3).ToString("F0", CultureInfo.InvariantCulture)))}"));
            reads.Add(read);
            ratios.Add(bytes / SampleMedian.Of(roundTimes) / read);
        }
        var median = SampleMedian.Of(times);
        var best = times.Min();
        var use = SampleMedian.Of(ratios);
        var name = $"{PrecisionPlan.Name(model.DType)}, {path}";
        var load = Uptime();
        var readRange = string.Create(CultureInfo.InvariantCulture, $"{SampleMedian.Of(reads) / 1e9:F1} GB/s ({reads.Min() / 1e9:F1}–{reads.Max() / 1e9:F1})");
        report.AppendLine(CultureInfo.InvariantCulture, $"- decode B=1 {name}: median {1 / median:F2} tok/s (best step {1 / best:F2} tok/s) over {times.Count} steps in {rounds} rounds; {bytes / 1e9:F2} GB of weights per token → {bytes / median / 1e9:F1} GB/s; streaming read before each round {readRange}; bandwidth use per round: median {100 * use:F0} % (range {100 * ratios.Min():F0}–{100 * ratios.Max():F0} %); load {load}");
        report.AppendLine(CultureInfo.InvariantCulture, $"  - rounds (read GB/s: step ms …): {string.Join("; ", roundLog)}");
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {1 / median:F2} (best {1 / best:F2}) | {bytes / 1e9:F2} GB | {bytes / median / 1e9:F1} | {readRange} | **{100 * use:F0} %** ({100 * ratios.Min():F0}–{100 * ratios.Max():F0} %) | {load} |");
    }

    /// <summary>A float32 tensor of 1.24 GB (40 × this host's 32 MB L3) for <see cref="StreamingRead"/>.</summary>
    private static Tensor StreamingProbe()
    {
        var x = ones(310_000_000L, ScalarType.Float32);
        x.sum().Dispose();
        return x;
    }

    /// <summary>Read bandwidth of a fresh 1.24 GB probe, best of 5 passes of each reader (see <see cref="StreamingRead"/>).</summary>
    private static double StreamingBandwidth()
    {
        using var probe = StreamingProbe();
        return StreamingRead(probe, 5, log: true);
    }

    /// <summary>
    /// Read bandwidth over <paramref name="probe"/>, the better of two readers, best of <paramref name="passes"/> each:
    /// libtorch's sum (its OpenMP threads) and a plain vector sum split over the torch thread count on the decode
    /// kernel's workers. The two disagree by up to 30 % from run to run here, and the limit is what the better one shows.
    /// </summary>
    private static double StreamingRead(Tensor probe, int passes, bool log = false)
    {
        double bestTorch = double.MaxValue, bestVector = double.MaxValue;
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(probe.bytes);
        var parts = Math.Max(1, get_num_threads());
        unsafe
        {
            fixed (float* p = floats)
            {
                var address = (nint)p;
                var length = floats.Length;
                for (var i = 0; i < passes; i++)
                {
                    var sw = Stopwatch.StartNew();
                    probe.sum().Dispose();
                    bestTorch = Math.Min(bestTorch, sw.Elapsed.TotalSeconds);
                    sw.Restart();
                    var sums = new float[parts];
                    KernelWorkers.Run(parts, part =>
                    {
                        var start = (long)length * part / parts;
                        var end = (long)length * (part + 1) / parts;
                        sums[part] = VectorSum((float*)address + start, (int)(end - start));
                    });
                    bestVector = Math.Min(bestVector, sw.Elapsed.TotalSeconds);
                    if (Math.Abs(sums.Sum(v => (double)v) - length) > length * 1e-4) throw new InvalidOperationException("streaming read summed wrongly");
                }
            }
        }
        var bytes = probe.NumberOfElements * 4.0;
        if (log) Console.Error.WriteLine($"[generation] streaming read: torch sum {bytes / bestTorch / 1e9:F1} GB/s, vector sum {bytes / bestVector / 1e9:F1} GB/s");
        return bytes / Math.Min(bestTorch, bestVector);
    }

    private static unsafe float VectorSum(float* p, int n)
    {
        System.Runtime.Intrinsics.Vector256<float> a = default, b = default, c = default, d = default;
        var i = 0;
        for (; i + 32 <= n; i += 32)
        {
            a += System.Runtime.Intrinsics.Vector256.Load(p + i);
            b += System.Runtime.Intrinsics.Vector256.Load(p + i + 8);
            c += System.Runtime.Intrinsics.Vector256.Load(p + i + 16);
            d += System.Runtime.Intrinsics.Vector256.Load(p + i + 24);
        }
        var sum = System.Runtime.Intrinsics.Vector256.Sum((a + b) + (c + d));
        for (; i < n; i++) sum += p[i];
        return sum;
    }

    private static void FillRandom(CausalLM model)
    {
        using var grad = no_grad();
        var g = new torch.Generator(20240601);
        foreach (var (name, p) in model.NamedWeights())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.normal_(0, 0.1, g);
            else p.normal_(0, 0.02, g);
        }
    }

    private static Settings Parse(string[] args)
    {
        int prompts = 32, cap = 2000, slots = 8, threads = 0, decodeSteps = 48;
        double median = 200, sigma = 1.0, scale = 1.0;
        var small = false;
        string? output = null;
        string[] modes = ["decode", "a", "a*", "b", "c"];
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--prompts": prompts = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--scale": scale = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--median": median = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--sigma": sigma = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cap": cap = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--slots": slots = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--modes": modes = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--small": small = true; break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--decode-steps": decodeSteps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--out": output = args[++i]; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (prompts < 1 || slots < 1 || cap < 1 || median <= 0 || scale <= 0) throw new ArgumentException("--prompts, --slots, --cap, --median and --scale must be positive");
        foreach (var m in modes)
            if (m is not ("a" or "a*" or "b" or "c" or "decode")) throw new ArgumentException($"unknown mode '{m}' (a, a*, b, c, decode)");
        return new Settings(prompts, median * scale, sigma, Math.Max(1, (int)Math.Round(cap * scale)), slots, modes, small, threads, output, decodeSteps);
    }

    private static string Uptime() => MachineLoad.Averages(", ", "load average ");
}
