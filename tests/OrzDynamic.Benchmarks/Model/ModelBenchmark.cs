using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>
/// Prefill / decode throughput of <see cref="CausalLM"/> on a real-size config with generated (random) weights, FLOP
/// utilisation against matmul throughput measured in the same run and dtype, KV-cache decode cost at short and long
/// positions, and the float32-vs-bfloat16 logits difference. Writes a Markdown report.
/// Usage: <c>model [--dtype float32,bfloat16] [--prefill 512] [--steps 16] [--small] [--profile] [--decode-only] [--gemm-probe] [--long-score T [--random-ids] [--checkpoint DIR]] [--save-checkpoint DIR] [--shape qwen2.5-0.5b|qwen3-0.6b] [--attention auto|chunked|dense] [--threads N] [--out FILE]</c>.
/// <c>--scoring-chunks 64,256 [--metrics-chunks 8,64] [--prefill T]</c> sweeps the scoring tail (<see cref="ScoringChunkSweep"/>).
/// <c>--rope-probe [--prefill T]</c> times rotary embedding in both dtypes and thread counts (<see cref="RopeProbe"/>).
/// <c>--long-score T</c> measures only the scoring of one T-token sequence (time, peak memory above the weights, FLOP
/// utilisation with attention FLOPs; see <see cref="LongScoring"/>). With <c>--checkpoint DIR</c> the model is loaded
/// from checkpoint files as a user's process does (write one first with <c>--save-checkpoint DIR</c>, in another
/// process), so the memory figure starts from a fresh process's heap.
/// </summary>
internal static class ModelBenchmark
{
    private const int Reps = 3;

    private sealed record Settings(ScalarType[] DTypes, int Prefill, int Steps, bool Small, string? Output, bool ProfileOnly, int Threads, bool DecodeOnly, bool GemmProbe, int LongScore, AttentionPath Attention, int[] ScoringChunks, int[] MetricsChunks, bool RopeProbe, string Device, bool RandomIds, string? Checkpoint, string? SaveCheckpoint, string Shape);

    public static int Run(string[] args)
    {
        Settings s;
        try
        {
            s = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException or NotSupportedException)
        {
            Console.Error.WriteLine($"model: {e.Message}");
            Console.Error.WriteLine("options: --dtype float32,bfloat16 --prefill N --steps N --small --profile --decode-only --gemm-probe --long-score T [--random-ids] [--checkpoint DIR] --save-checkpoint DIR --shape qwen2.5-0.5b|qwen3-0.6b --attention auto|chunked|dense --scoring-chunks P,.. --metrics-chunks C,.. --rope-probe --threads N --device cpu|cuda|cuda:N --out FILE");
            return 2;
        }
        OrzDynamic.Metrics.Runtime.TorchNativeLoader.EnsureRegistered();
        if (s.Threads > 0) set_num_threads(s.Threads);
        var config = s.Small ? ModelBenchmarkConfigs.Small : ModelBenchmarkConfigs.Shapes[s.Shape];
        if (s.ScoringChunks.Length > 0) config = config with { NumHiddenLayers = 1 }; // the sweep only uses lm_head
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Config: {(s.Small ? "small smoke config" : s.Shape)} (hidden {config.HiddenSize}, {config.NumHiddenLayers} layers, {config.NumAttentionHeads} heads / {config.NumKeyValueHeads} kv, intermediate {config.IntermediateSize}, vocab {config.VocabSize}, tied) — {config.ParameterCount / 1e6:F1}M parameters, **generated random weights** (no real checkpoint of this size is available).");
        report.AppendLine(CultureInfo.InvariantCulture, $"Threads: torch {get_num_threads()}, {Environment.ProcessorCount} logical CPUs. Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Load average at start: {MachineLoad.Averages()}.");
        report.AppendLine();

        if (s.RopeProbe)
        {
            var rope = new StringBuilder();
            RopeProbe.Run(config, s.Prefill, rope);
            Console.WriteLine(rope);
            if (s.Output is not null) File.WriteAllText(s.Output, rope.ToString());
            return 0;
        }
        if (s.GemmProbe)
        {
            var probe = new StringBuilder();
            foreach (var d in s.DTypes) GemmProbe.Run(d, probe);
            probe.AppendLine(CultureInfo.InvariantCulture, $"Load average: {MachineLoad.Averages()}.");
            Console.WriteLine(probe);
            return 0;
        }
        if (s.SaveCheckpoint is not null)
        {
            using var generated = new CausalLM(config, ScalarType.Float32, CPU);
            FillRandom(generated);
            Core.Loading.CheckpointWriter.Save(generated, s.SaveCheckpoint);
            Console.Error.WriteLine($"[model] wrote the generated checkpoint to {s.SaveCheckpoint}");
            return 0;
        }
        if (s.Checkpoint is not null && s.LongScore > 0)
        {
            // As a user's process does it: a fresh process loads the checkpoint files, then scores.
            using var loaded = Core.Loading.CheckpointLoader.Load(s.Checkpoint, new Core.Loading.ModelLoadOptions { DType = s.DTypes[0] });
            loaded.AttentionPath = s.Attention;
            report.AppendLine(CultureInfo.InvariantCulture, $"Checkpoint loaded from {s.Checkpoint}.");
            LongScoring.Run(loaded, s.LongScore, s.RandomIds, report);
            Console.WriteLine(report);
            return 0;
        }
        CausalLM? f32Model = null;
        var rows = new List<string>();
        foreach (var dtype in s.DTypes)
        {
            Console.Error.WriteLine($"[model] {dtype}: building model");
            var model = new CausalLM(config, dtype, Core.Loading.ModelLoadOptions.ParseDevice(s.Device));
            if (f32Model is null) FillRandom(model);
            else CopyWeights(f32Model, model);
            if (dtype == ScalarType.Float32) f32Model = model;
            model.AttentionPath = s.Attention;
            if (s.ScoringChunks.Length > 0)
            {
                ScoringChunkSweep.Run(model, s.Prefill, s.ScoringChunks, s.MetricsChunks, report);
                if (!ReferenceEquals(model, f32Model)) model.Dispose();
                continue;
            }
            if (s.LongScore > 0)
            {
                LongScoring.Run(model, s.LongScore, s.RandomIds, report);
                if (!ReferenceEquals(model, f32Model)) model.Dispose();
                continue;
            }
            if (s.DecodeOnly)
            {
                var (d1, d8, dl) = DecodeSteps(model, s.Steps);
                report.AppendLine(CultureInfo.InvariantCulture, $"- {model.DType} decode only: B=1 {d1 * 1000:F0} ms/step, B=8 {d8 * 1000:F0} ms/step (B8/B1 tokens/s {d1 / d8 * 8:F1}×), B=1 at 1024 {dl * 1000:F0} ms/step ({dl / d1:F2}× of 64).");
                if (!ReferenceEquals(model, f32Model)) model.Dispose();
                continue;
            }
            LayerProfile.Run(model, s.Prefill, report);
            if (!s.ProfileOnly) rows.Add(Measure(model, s, report));
            if (dtype != ScalarType.Float32 && f32Model is not null) CompareLogits(f32Model, model, report);
            if (!ReferenceEquals(model, f32Model)) model.Dispose();
        }
        f32Model?.Dispose();

        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {MachineLoad.Averages()} (other helpers build and test concurrently on this 2-core machine).");
        report.AppendLine();
        var text = new StringBuilder();
        text.Append(report);
        text.AppendLine("| dtype | matmul GFLOP/s | prefill B=1 tok/s (util) | prefill B=8 tok/s (util) | decode B=1 tok/s | decode B=8 tok/s | B8/B1 | decode ms/token @64 | @1024 | ratio |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in rows) text.AppendLine(r);
        var output = text.ToString();
        var path = s.Output ?? DefaultOutput();
        File.WriteAllText(path, output);
        Console.WriteLine(output);
        Console.WriteLine($"written to {path}");
        return 0;
    }

    private static string DefaultOutput()
    {
        var inRepo = Path.Combine("tests", "OrzDynamic.Benchmarks");
        return Directory.Exists(inRepo) ? Path.Combine(inRepo, "model-benchmark-raw.md") : "model-benchmark-raw.md";
    }

    private static Settings Parse(string[] args)
    {
        ScalarType[] dtypes = [ScalarType.Float32, ScalarType.BFloat16];
        int prefill = 512, steps = 16;
        var small = false;
        var profileOnly = false;
        var decodeOnly = false;
        var gemmProbe = false;
        var ropeProbe = false;
        var threads = 0;
        var longScore = 0;
        var attention = AttentionPath.Auto;
        int[] scoringChunks = [];
        int[] metricsChunks = [OrzDynamic.Metrics.MetricsOptions.DefaultChunkSize];
        string? output = null;
        var device = "cpu";
        var randomIds = false;
        string? checkpoint = null, saveCheckpoint = null;
        var shape = "qwen2.5-0.5b";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--dtype": dtypes = args[++i].Split(',').Select(Core.Loading.ModelLoadOptions.ParseDType).ToArray(); break;
                case "--prefill": prefill = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--small": small = true; break;
                case "--profile": profileOnly = true; break;
                case "--decode-only": decodeOnly = true; break;
                case "--gemm-probe": gemmProbe = true; break;
                case "--rope-probe": ropeProbe = true; break;
                case "--scoring-chunks": scoringChunks = ParseInts(args[++i]); break;
                case "--metrics-chunks": metricsChunks = ParseInts(args[++i]); break;
                case "--long-score": longScore = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--attention": attention = Enum.Parse<AttentionPath>(args[++i], ignoreCase: true); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--device": device = args[++i]; break;
                case "--random-ids": randomIds = true; break;
                case "--checkpoint": checkpoint = args[++i]; break;
                case "--save-checkpoint": saveCheckpoint = args[++i]; break;
                case "--shape":
                    shape = args[++i];
                    if (!ModelBenchmarkConfigs.Shapes.ContainsKey(shape))
                        throw new ArgumentException($"unknown shape '{shape}' (known: {string.Join(", ", ModelBenchmarkConfigs.Shapes.Keys)})");
                    break;
                case "--out": output = args[++i]; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        Core.Loading.ModelLoadOptions.ParseDevice(device);   // unknown or unavailable devices fail here, with the options
        if (dtypes.Length > 1 && dtypes[0] != ScalarType.Float32)
            throw new ArgumentException("with several dtypes, float32 must come first (it is the logits reference)");
        return new Settings(dtypes, prefill, steps, small, output, profileOnly, threads, decodeOnly, gemmProbe, longScore, attention, scoringChunks, metricsChunks, ropeProbe, device, randomIds, checkpoint, saveCheckpoint, shape);
    }

    private static int[] ParseInts(string list) => list.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();

    private static void FillRandom(CausalLM model)
    {
        using var grad = no_grad();
        var g = new torch.Generator(20240601);
        foreach (var (name, p) in model.NamedWeights())
        {
            // Drawn on the CPU and copied, so every device gets the same weights from the same seed.
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) { p.fill_(1.0); continue; }
            using var values = empty(p.shape, p.dtype).normal_(0, name.EndsWith(".bias", StringComparison.Ordinal) ? 0.1 : 0.02, g);
            p.copy_(values);
        }
    }

    private static void CopyWeights(CausalLM from, CausalLM to)
    {
        using var grad = no_grad();
        var src = from.NamedWeights().ToDictionary(w => w.Name, w => w.Parameter);
        foreach (var (name, p) in to.NamedWeights()) p.copy_(src[name]);
    }

    /// <summary>Fastest of <paramref name="reps"/> timed runs (the machine is shared: the minimum is the least disturbed run).</summary>
    internal static double Time(Action action, int reps)
    {
        var best = double.MaxValue;
        for (var i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>Best GFLOP/s over the model's own GEMM shapes at M = tokens.</summary>
    internal static double MatmulGflops(ModelConfig c, ScalarType dtype, int m)
    {
        using var scope = NewDisposeScope();
        var shapes = new (long K, long N)[] { (c.HiddenSize, c.IntermediateSize), (c.IntermediateSize, c.HiddenSize), (c.HiddenSize, (long)c.NumAttentionHeads * c.HeadDim) };
        var best = 0.0;
        foreach (var (k, n) in shapes)
        {
            var a = randn([m, k]).to(dtype);
            var w = randn([n, k]).to(dtype);
            nn.functional.linear(a, w).Dispose();
            var sec = Time(() => nn.functional.linear(a, w).Dispose(), 3);
            best = Math.Max(best, 2.0 * m * k * n / sec / 1e9);
        }
        return best;
    }

    /// <summary>
    /// Decode step times (lower quartile, seconds) for B=1 after 64 prompt tokens, B=8 after 64 and B=1 after 1024. The
    /// three caches are stepped round-robin so that all three see the same background load (the machine is shared).
    /// </summary>
    private static (double B1At64, double B8At64, double B1At1024) DecodeSteps(CausalLM model, int steps)
    {
        using var scope = NewDisposeScope();
        var configs = new (int Batch, int Position)[] { (1, 64), (8, 64), (1, 1024) };
        var caches = new KvCache[configs.Length];
        var next = new Tensor[configs.Length];
        var times = configs.Select(_ => new List<double>()).ToArray();
        try
        {
            for (var i = 0; i < configs.Length; i++)
            {
                var (b, p) = configs[i];
                caches[i] = model.CreateCache(b, p + steps + 2);
                var ids = randint(0, model.Config.VocabSize, [b, p], ScalarType.Int64, generator: new torch.Generator(2));
                next[i] = model.Forward(ids, cache: caches[i], logits: LogitsMode.LastPosition).Logits!.argmax(-1).view(b, 1);
                next[i] = model.Forward(next[i], cache: caches[i], logits: LogitsMode.LastPosition).Logits!.argmax(-1).view(b, 1); // warm-up step
            }
            for (var step = 0; step < steps; step++)
            {
                for (var i = 0; i < configs.Length; i++)
                {
                    var sw = Stopwatch.StartNew();
                    using var r = model.Forward(next[i], cache: caches[i], logits: LogitsMode.LastPosition);
                    next[i] = r.Logits!.argmax(-1).view(configs[i].Batch, 1);
                    times[i].Add(sw.Elapsed.TotalSeconds);
                }
            }
        }
        finally
        {
            foreach (var c in caches) c?.Dispose();
        }
        static double LowerQuartile(List<double> t)
        {
            t.Sort();
            return t[t.Count / 4];
        }
        return (LowerQuartile(times[0]), LowerQuartile(times[1]), LowerQuartile(times[2]));
    }

    /// <summary>Prefill tokens/s and utilisation: each repetition measures matmul throughput right before the prefill; the best pair is kept.</summary>
    private static (double TokensPerSecond, double MatmulGflops, double Utilisation) PrefillWithUtilisation(CausalLM model, int batch, int tokens)
    {
        using var scope = NewDisposeScope();
        var ids = randint(0, model.Config.VocabSize, [batch, tokens], ScalarType.Int64, generator: new torch.Generator(1));
        model.Forward(ids.narrow(1, 0, Math.Min(8, tokens)), logits: LogitsMode.AllPositions).Dispose(); // warm-up
        var flopsPerToken = 2.0 * model.Config.ParameterCount;
        (double, double, double) best = (0, 0, 0);
        for (var rep = 0; rep < Reps; rep++)
        {
            var gflops = MatmulGflops(model.Config, model.DType, batch * tokens);
            var sw = Stopwatch.StartNew();
            model.Forward(ids, logits: LogitsMode.AllPositions).Dispose();
            var tps = batch * tokens / sw.Elapsed.TotalSeconds;
            var util = flopsPerToken * tps / 1e9 / gflops;
            if (util > best.Item3) best = (tps, gflops, util);
        }
        return best;
    }

    private static string Measure(CausalLM model, Settings s, StringBuilder report)
    {
        var c = model.Config;
        var name = model.DType == ScalarType.Float32 ? "float32" : model.DType == ScalarType.BFloat16 ? "bfloat16" : "float16";
        Console.Error.WriteLine($"[model] {name}: prefill");
        var p1 = PrefillWithUtilisation(model, 1, s.Prefill);
        var p8 = PrefillWithUtilisation(model, 8, s.Prefill / 8);
        Console.Error.WriteLine($"[model] {name}: decode");
        var (d1, d8, d1Long) = DecodeSteps(model, s.Steps);
        // Generation API end to end (greedy, batch 8, short prompts) as a cross-check of the raw decode loop.
        var gen = new TextGenerator(model);
        var prompts = Enumerable.Range(0, 8).Select(r => (IReadOnlyList<int>)Enumerable.Range(0, 16 + r).Select(i => (i * 7919 + r) % c.VocabSize).ToArray()).ToArray();
        var sw = Stopwatch.StartNew();
        var results = gen.Generate(prompts, new GenerationOptions { MaxNewTokens = s.Steps, EosTokenIds = [] });
        var genTps = results.Sum(r => r.TokenIds.Count) / sw.Elapsed.TotalSeconds;
        report.AppendLine(CultureInfo.InvariantCulture, $"- {name}: prefill B=1×{s.Prefill}: {p1.TokensPerSecond:F1} tok/s with matmul {p1.MatmulGflops:F1} GFLOP/s measured just before (best of the model's GEMM shapes at M={s.Prefill}); prefill B=8×{s.Prefill / 8}: {p8.TokensPerSecond:F1} tok/s (matmul {p8.MatmulGflops:F1} GFLOP/s); decode B=1 {1 / d1:F2} tok/s ({d1 * 1000:F0} ms/step), B=8 {8 / d8:F2} tok/s ({d8 * 1000:F0} ms/step); decode at position 1024 {d1Long * 1000:F0} ms/step; TextGenerator B=8 end-to-end (prefill included) {genTps:F2} tok/s.");
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {p1.MatmulGflops:F1} | {p1.TokensPerSecond:F1} ({100 * p1.Utilisation:F0}%) | {p8.TokensPerSecond:F1} ({100 * p8.Utilisation:F0}%) | {1 / d1:F2} | {8 / d8:F2} | {d1 / d8 * 8:F1}× | {d1 * 1000:F0} | {d1Long * 1000:F0} | {d1Long / d1:F2} |");
    }

    private static void CompareLogits(CausalLM reference, CausalLM model, StringBuilder report)
    {
        using var scope = NewDisposeScope();
        var ids = randint(0, reference.Config.VocabSize, [1, 64], ScalarType.Int64, generator: new torch.Generator(3));
        using var a = reference.Forward(ids);
        using var b = model.Forward(ids);
        var diff = (a.Logits! - b.Logits!).abs();
        var scale = a.Logits!.std().item<float>();
        var agree = a.Logits!.argmax(-1).eq(b.Logits!.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        report.AppendLine(CultureInfo.InvariantCulture, $"- {model.DType} vs float32 logits (64 random tokens): max |Δ| {diff.max().item<float>():F4}, mean |Δ| {diff.mean().item<float>():F4}, logit std {scale:F3}, argmax agreement {100 * agree:F1}%.");
    }
}
