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
using TorchSharp;
using static TorchSharp.torch;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// End-to-end generation + scoring on the Qwen2.5-0.5B shape with generated weights stored in bfloat16 (like real
/// checkpoints): (a) float32 static batches, (b) bfloat16 generation + float32 scoring (layer-by-layer upcast), static,
/// (c) the same with continuous batching. Also decode at batch 1 against the streaming bandwidth measured in the same
/// run, for each shape of <c>--decode-shapes</c> (qwen2.5-0.5b, qwen3-0.6b), dtype of <c>--decode-dtypes</c> and
/// kernel setting of <c>--decode-kernels</c> (on, off), interleaved. Usage:
/// <c>generation [--prompts 32] [--scale 1] [--median 200] [--sigma 1] [--cap 2000] [--slots 8] [--modes a,b,c,decode] [--small] [--threads N]
/// [--decode-steps 96] [--decode-shapes qwen2.5-0.5b,qwen3-0.6b] [--decode-dtypes bfloat16,float32] [--decode-kernels on,off] [--out FILE]</c>.
/// </summary>
internal static class EndToEndBenchmark
{
    private sealed record Settings(int Prompts, double Median, double Sigma, int Cap, int Slots, string[] Modes, bool Small, int Threads, string? Output, int DecodeSteps,
        string[] DecodeShapes, ScalarType[] DecodeDTypes, bool[] DecodeKernels);

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
            Console.Error.WriteLine("options: --prompts N --scale X --median N --sigma X --cap N --slots N --modes a,a*,b,c,decode --small --threads N --decode-steps N " +
                "--decode-shapes qwen2.5-0.5b,qwen3-0.6b --decode-dtypes bfloat16,float32 --decode-kernels on,off --out FILE");
            return 2;
        }
        OrzDynamic.Metrics.Runtime.TorchNativeLoader.EnsureRegistered();
        if (s.Threads > 0) set_num_threads(s.Threads);
        var config = s.Small ? ModelBenchmarkConfigs.Small : ModelBenchmarkConfigs.Qwen25_05B;
        var workload = EndToEndWorkload.Draw(s.Prompts, s.Median, s.Sigma, s.Cap, 32, 96, config.VocabSize, 20251130);
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Config: {(s.Small ? "small smoke config" : "Qwen2.5-0.5B shape")} ({config.ParameterCount / 1e6:F1}M parameters), generated weights stored in bfloat16. Threads: torch {get_num_threads()}, {Environment.ProcessorCount} logical CPUs. {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Workload: {workload.Describe()} (lognormal median {s.Median}, σ {s.Sigma}, cap {s.Cap}; each answer stopped at its drawn length). Slots / batch: {s.Slots}.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Load at start: {Uptime()}");
        report.AppendLine();
        Console.Error.WriteLine(report);

        var bandwidth = StreamingRead.Bandwidth();
        report.AppendLine(CultureInfo.InvariantCulture, $"- Streaming bandwidth (read of a 1.24 GB float32 tensor, the better of libtorch's sum and a vector sum on the kernel workers, best of 5): {bandwidth / 1e9:F1} GB/s; load {Uptime()}");

        var rows = new List<string>();
        double? baseline = null;
        using var bf16 = new CausalLM(config, ScalarType.BFloat16, CPU);
        FillRandom(bf16);
        if (s.Modes.Contains("decode"))
        {
            using var decodeScope = new DisposableList();
            var configurations = new List<DecodeBandwidthStudy.Configuration>();
            var named = s.DecodeShapes.Length > 1;
            foreach (var shape in s.DecodeShapes)
            {
                var shapeConfig = DecodeShape(shape, s.Small);
                CausalLM shapeBf16;
                if (shapeConfig == config)
                {
                    shapeBf16 = bf16;
                }
                else
                {
                    shapeBf16 = decodeScope.Add(new CausalLM(shapeConfig, ScalarType.BFloat16, CPU));
                    FillRandom(shapeBf16);
                }
                report.AppendLine(CultureInfo.InvariantCulture, $"Decode shape {ShapeName(shape, s.Small)}: {shapeConfig.ParameterCount / 1e6:F1}M parameters (hidden {shapeConfig.HiddenSize}, {shapeConfig.NumHiddenLayers} layers, {shapeConfig.NumAttentionHeads} heads × {shapeConfig.HeadDim} / {shapeConfig.NumKeyValueHeads} kv, intermediate {shapeConfig.IntermediateSize}{(shapeConfig.QkNorm ? ", q/k norms" : "")}{(shapeConfig.QkvBias ? ", q/k/v bias" : "")}).");
                foreach (var dtype in s.DecodeDTypes)
                {
                    var model = dtype == ScalarType.BFloat16 ? shapeBf16 : decodeScope.Add(MixedPrecisionModel.ConvertedCopy(shapeBf16, dtype));
                    foreach (var kernels in s.DecodeKernels)
                        configurations.Add(new DecodeBandwidthStudy.Configuration(model, kernels, named ? ShapeName(shape, s.Small) : null));
                }
            }
            using var probe = StreamingRead.Probe();
            var rounds = Math.Max(1, s.DecodeSteps / DecodeBandwidthStudy.StepsPerRound);
            rows.AddRange(DecodeBandwidthStudy.Run(configurations, probe, rounds, report));
            bandwidth = Math.Max(bandwidth, StreamingRead.Bandwidth()); // again after the decode runs: the better of the two
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
            report.AppendLine(DecodeBandwidthStudy.TableHeader);
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
        Console.WriteLine(text);
        // Like the other suites: a file only when asked for (a default name would land in the working directory,
        // often the repository's top level).
        if (s.Output is { } path)
        {
            File.WriteAllText(path, text);
            Console.WriteLine($"written to {path}");
        }
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

    /// <summary>The config of a decode shape (its small counterpart with --small).</summary>
    private static ModelConfig DecodeShape(string shape, bool small) =>
        !small ? ModelBenchmarkConfigs.Shapes[shape]
        : ModelBenchmarkConfigs.Shapes[shape].ModelType == "qwen3" ? ModelBenchmarkConfigs.SmallQwen3 : ModelBenchmarkConfigs.Small;

    /// <summary>e.g. "Qwen3-0.6B shape".</summary>
    private static string ShapeName(string shape, bool small) =>
        (shape.Equals("qwen3-0.6b", StringComparison.OrdinalIgnoreCase) ? "Qwen3-0.6B" : "Qwen2.5-0.5B") + (small ? " small smoke" : " shape");

    /// <summary>Models created for the decode study, disposed together.</summary>
    private sealed class DisposableList : IDisposable
    {
        private readonly List<IDisposable> _items = [];

        public T Add<T>(T item) where T : IDisposable
        {
            _items.Add(item);
            return item;
        }

        public void Dispose()
        {
            foreach (var item in _items) item.Dispose();
        }
    }

    /// <summary>Seeded random weights (norms 1, biases N(0, 0.1), the rest N(0, 0.02)).</summary>
    internal static void FillRandom(CausalLM model)
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
        int prompts = 32, cap = 2000, slots = 8, threads = 0, decodeSteps = 96;
        double median = 200, sigma = 1.0, scale = 1.0;
        var small = false;
        string? output = null;
        string[] modes = ["decode", "a", "a*", "b", "c"];
        string[] decodeShapes = ["qwen2.5-0.5b"];
        ScalarType[] decodeDTypes = [ScalarType.BFloat16, ScalarType.Float32];
        bool[] decodeKernels = [true, false];
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
                case "--decode-shapes": decodeShapes = List(args[++i]); break;
                case "--decode-dtypes": decodeDTypes = List(args[++i]).Select(OrzDynamic.Core.Loading.ModelLoadOptions.ParseDType).ToArray(); break;
                case "--decode-kernels": decodeKernels = List(args[++i]).Select(k => k switch { "on" => true, "off" => false, _ => throw new ArgumentException($"--decode-kernels: '{k}' (on, off)") }).ToArray(); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (prompts < 1 || slots < 1 || cap < 1 || median <= 0 || scale <= 0) throw new ArgumentException("--prompts, --slots, --cap, --median and --scale must be positive");
        foreach (var m in modes)
            if (m is not ("a" or "a*" or "b" or "c" or "decode")) throw new ArgumentException($"unknown mode '{m}' (a, a*, b, c, decode)");
        foreach (var shape in decodeShapes)
            if (!ModelBenchmarkConfigs.Shapes.ContainsKey(shape)) throw new ArgumentException($"unknown decode shape '{shape}' ({string.Join(", ", ModelBenchmarkConfigs.Shapes.Keys)})");
        if (decodeShapes.Length == 0 || decodeDTypes.Length == 0 || decodeKernels.Length == 0) throw new ArgumentException("--decode-shapes, --decode-dtypes and --decode-kernels need at least one value");
        return new Settings(prompts, median * scale, sigma, Math.Max(1, (int)Math.Round(cap * scale)), slots, modes, small, threads, output, decodeSteps,
            decodeShapes, decodeDTypes, decodeKernels);
    }

    private static string[] List(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Uptime() => MachineLoad.Averages(", ", "load average ");
}
