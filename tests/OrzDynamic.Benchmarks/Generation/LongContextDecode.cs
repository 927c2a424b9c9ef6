using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics;
using OrzDynamic.Benchmarks.Model;
using OrzDynamic.Core.Kernels;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Precision;
using OrzDynamic.Metrics.Runtime;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// Decoding with long caches, batch 1, on a real model shape with generated weights: (1) the attention step of one
/// layer (the fused decode attention kernel) at each cache length, against the two limits of this machine measured in
/// the same run — the streaming read (for the cache read) and the float32 multiply–add peak of the kernel workers (for
/// q·k and p·v, which are float32 arithmetic on bfloat16 inputs); (2) whole decoding steps of the model at each cache
/// length, blocks of steps interleaved across the lengths so each samples the same stretch of time, with the rate at
/// each length as a share of the rate at the shortest. The caches are filled with random keys and values (the
/// attention's cost does not depend on them), so no long prefill is needed. Usage:
/// <c>long-decode [--shape qwen2.5-0.5b] [--dtype bfloat16] [--contexts 128,1024,2048,4096,8192] [--rounds 8] [--steps 4] [--calls 20] [--parts attention,decode|attention-only] [--threads N] [--small] [--compare-prefetch] [--compare-kernels]</c>.
/// </summary>
internal static class LongContextDecode
{
    private sealed record Settings(ModelConfig Config, string ShapeName, ScalarType DType, int[] Contexts, int Rounds, int Steps, int Calls, string[] Parts, int Threads, Variant[] Variants);

    /// <summary>
    /// A setting of the attention kernel compared within one run: as shipped, without its software prefetch
    /// (<c>--compare-prefetch</c>), or with long rows on the eight-key kernels of short rows (<c>--compare-kernels</c>).
    /// </summary>
    private enum Variant { AsShipped, NoPrefetch, EightKeyKernels }

    private static void Apply(Variant v)
    {
        SplitKeyAttention.Prefetching = v != Variant.NoPrefetch;
        LongRowChunk.Enabled = v != Variant.EightKeyKernels;
    }

    private static string Label(Settings s, int context, Variant v) => s.Variants.Length == 1 ? $"{s.Contexts[context]}"
        : $"{s.Contexts[context]}, {v switch { Variant.NoPrefetch => "no prefetch", Variant.EightKeyKernels => "eight-key kernels", _ => "as shipped" }}";

    public static int Run(string[] args)
    {
        Settings s;
        try
        {
            s = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException or KeyNotFoundException)
        {
            Console.Error.WriteLine($"long-decode: {e.Message}");
            Console.Error.WriteLine("options: --shape qwen2.5-0.5b|qwen3-0.6b --dtype bfloat16|float32 --contexts 128,1024,… --rounds N --steps N --calls N --parts attention,decode --threads N --small --compare-prefetch --compare-kernels");
            return 2;
        }
        TorchNativeLoader.EnsureRegistered();
        if (s.Threads > 0) set_num_threads(s.Threads);
        using var ng = no_grad();
        var c = s.Config;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Long-context decode, batch 1, {s.ShapeName} ({c.ParameterCount / 1e6:F0}M parameters, generated weights; {c.NumHiddenLayers} layers, {c.NumAttentionHeads} heads × {c.HeadDim} over {c.NumKeyValueHeads} kv heads), {PrecisionPlan.Name(s.DType)}, {get_num_threads()} threads, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineLoad.Averages(", ", "load average ")}"));
        if (s.Parts is ["attention-only"])
        {
            AttentionStep(s, double.NaN, double.NaN); // a profiling run: no limits measured
            return 0;
        }
        using var probe = StreamingRead.Probe();
        var read = StreamingRead.Measure(probe, 5);
        var fma = FmaPeak();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Limits measured in this run: streaming read {read / 1e9:F1} GB/s; float32 multiply–add peak of the kernel workers {fma / 1e9:F0} GFLOP/s ({get_num_threads()} threads)."));
        Console.WriteLine();
        if (s.Parts.Contains("attention")) AttentionStep(s, read, fma);
        if (s.Parts.Contains("decode")) DecodeSteps(s, probe);
        return 0;
    }

    /// <summary>One layer's fused attention step at every context, interleaved in blocks of calls.</summary>
    private static void AttentionStep(Settings s, double read, double fma)
    {
        var c = s.Config;
        int heads = c.NumAttentionHeads, kvHeads = c.NumKeyValueHeads, d = c.HeadDim;
        using var scope = NewDisposeScope();
        var g = new Generator(7);
        var q = randn([1, 1, heads * d], generator: g).to(s.DType);
        var k = randn([1, 1, kvHeads * d], generator: g).to(s.DType);
        var v = randn([1, 1, kvHeads * d], generator: g).to(s.DType);
        var angles = randn([1, 1, 1, d / 2], generator: g);
        var both = cat([angles, angles], -1);
        var cos = both.cos().to(s.DType);
        var sin = both.sin().to(s.DType);
        var stores = s.Contexts.Select(n => (Keys: randn([1, kvHeads, n, d], generator: g).to(s.DType), Values: randn([1, kvHeads, n, d], generator: g).to(s.DType))).ToArray();
        if (!DecodeAttention.AppliesToStep(q, k, v, cos, sin, stores[0].Keys, stores[0].Values, null))
        {
            Console.WriteLine("The fused attention step does not apply on this host (kernels off or unsupported).");
            return;
        }
        // Cases: every context in every variant compared.
        var cases = s.Contexts.SelectMany((n, i) => s.Variants.Select(v => (Store: i, Variant: v))).ToArray();
        void Call(int which)
        {
            Apply(cases[which].Variant);
            var i = cases[which].Store;
            DecodeAttention.Step(q, k, v, cos, sin, stores[i].Keys, stores[i].Values, s.Contexts[i] - 1, null).Dispose();
        }
        for (var w = 0; w < cases.Length; w++) for (var j = 0; j < 20; j++) Call(w); // JIT to full optimisation
        var times = cases.Select(_ => new List<double>()).ToArray();
        var cpu = cases.Select(_ => new List<double>()).ToArray();
        using var process = Process.GetCurrentProcess();
        for (var round = 0; round < s.Rounds * 4; round++)
        {
            for (var j = 0; j < cases.Length; j++)
            {
                var i = (round + j) % cases.Length;
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                for (var n = 0; n < s.Calls; n++) Call(i);
                times[i].Add(sw.Elapsed.TotalSeconds / s.Calls);
                process.Refresh();
                cpu[i].Add((process.TotalProcessorTime - cpuBefore).TotalSeconds / s.Calls);
            }
        }
        var size = PrecisionPlan.ElementSize(s.DType);
        Console.WriteLine($"Attention step of one layer ({heads} query heads, {kvHeads} kv heads × {d}), median of {times[0].Count} blocks of {s.Calls} calls:");
        Console.WriteLine();
        Apply(Variant.AsShipped);
        Console.WriteLine("| cached keys | µs / layer | × layers, ms / token | cache read GB/s | share of streaming read | q·k + p·v GFLOP/s | share of multiply–add peak | process CPU µs / layer |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < cases.Length; i++)
        {
            var median = SampleMedian.Of(times[i]);
            double n = s.Contexts[cases[i].Store];
            var bytes = 2.0 * kvHeads * n * d * size;
            var flops = 4.0 * heads * n * d;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Label(s, cases[i].Store, cases[i].Variant)} | {median * 1e6:F1} | {median * 1e3 * c.NumHiddenLayers:F2} | {bytes / median / 1e9:F1} | {100 * bytes / median / read:F0} % | {flops / median / 1e9:F0} | {100 * flops / median / fma:F0} % | {SampleMedian.Of(cpu[i]) * 1e6:F0} |"));
        }
        Console.WriteLine();
    }

    /// <summary>Whole decoding steps of the model at every context, interleaved in blocks of steps.</summary>
    private static void DecodeSteps(Settings s, Tensor probe)
    {
        var c = s.Config;
        using var scope = NewDisposeScope();
        using var model = new CausalLM(c, s.DType, CPU);
        EndToEndBenchmark.FillRandom(model);
        var extra = 8 + s.Rounds * s.Steps + 4;
        var caches = new List<KvCache>();
        var next = new List<Tensor>();
        try
        {
            var g = new Generator(11);
            foreach (var n in s.Contexts)
            {
                var cache = model.CreateCache(1, n + extra);
                for (var layer = 0; layer < c.NumHiddenLayers; layer++)
                {
                    var (keys, values) = cache.Storage(layer);
                    keys.narrow(2, 0, n).copy_(randn([1, c.NumKeyValueHeads, n, c.HeadDim], generator: g));
                    values.narrow(2, 0, n).copy_(randn([1, c.NumKeyValueHeads, n, c.HeadDim], generator: g));
                }
                cache.Advance(n);
                caches.Add(cache);
                var token = tensor(new long[] { 1 }, [1, 1], ScalarType.Int64).DetachFromDisposeScope();
                for (var i = 0; i < 8; i++) token = Step(model, token, cache);
                next.Add(token);
            }
            // Cases: every context in every variant compared.
            var cases = s.Contexts.SelectMany((n, i) => s.Variants.Select(v => (Cache: i, Variant: v))).ToArray();
            var times = cases.Select(_ => new List<double>()).ToArray();
            var reads = new List<double>();
            for (var round = 0; round < s.Rounds; round++)
            {
                reads.Add(StreamingRead.Measure(probe, 1));
                for (var j = 0; j < cases.Length; j++)
                {
                    var w = (round + j) % cases.Length;
                    var i = cases[w].Cache;
                    Apply(cases[w].Variant);
                    next[i] = Step(model, next[i], caches[i]); // settle after the other cases' steps
                    for (var n = 0; n < s.Steps; n++)
                    {
                        var sw = Stopwatch.StartNew();
                        next[i] = Step(model, next[i], caches[i]);
                        times[w].Add(sw.Elapsed.TotalSeconds);
                    }
                }
                Apply(Variant.AsShipped);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[long-decode] round {round + 1}/{s.Rounds}: {string.Join(", ", cases.Select((c, w) => $"{Label(s, c.Cache, c.Variant)}: {times[w][^1] * 1e3:F1} ms"))}; read {reads[^1] / 1e9:F0} GB/s"));
            }
            reads.Add(StreamingRead.Measure(probe, 1));
            var weights = (double)c.ParameterCount * PrecisionPlan.ElementSize(s.DType);
            var kvPerToken = 2.0 * c.NumHiddenLayers * c.NumKeyValueHeads * c.HeadDim * PrecisionPlan.ElementSize(s.DType);
            // Each variant's rate at the shortest context is its own base.
            double BaseRate(Variant v) => 1 / SampleMedian.Of(times[Array.FindIndex(cases, c => c.Cache == 0 && c.Variant == v)]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Whole decoding steps (median of {times[0].Count} steps per length, {s.Rounds} interleaved rounds; streaming read between rounds {SampleMedian.Of(reads) / 1e9:F1} GB/s, range {reads.Min() / 1e9:F1}–{reads.Max() / 1e9:F1}; {MachineLoad.Averages(", ", "load average ")}):"));
            Console.WriteLine();
            Console.WriteLine("| cached tokens | ms / token | tok/s | share of the rate at the shortest | cache bytes / weight bytes | bytes read / token ÷ median read |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            for (var w = 0; w < cases.Length; w++)
            {
                var i = cases[w].Cache;
                var median = SampleMedian.Of(times[w]);
                var kv = kvPerToken * s.Contexts[i];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {Label(s, i, cases[w].Variant)} | {median * 1e3:F1} | {1 / median:F2} | **{100 / median / BaseRate(cases[w].Variant):F0} %** | {100 * kv / weights:F1} % | {(weights + kv) / SampleMedian.Of(reads) * 1e3:F1} ms |"));
            }
            Console.WriteLine();
        }
        finally
        {
            foreach (var cache in caches) cache.Dispose();
        }
    }

    private static Tensor Step(CausalLM model, Tensor input, KvCache cache)
    {
        using var result = model.Forward(input, cache: cache, logits: LogitsMode.LastPosition);
        var token = result.Logits!.argmax(-1).view(1, 1).DetachFromDisposeScope();
        input.Dispose();
        return token;
    }

    /// <summary>
    /// The float32 multiply–add rate of the kernel workers (flop/s, 2 per lane): every torch thread runs independent
    /// 256-bit FMA chains on registers only, the best of five passes.
    /// </summary>
    private static double FmaPeak()
    {
        const int iterations = 20_000_000;
        var parts = Math.Max(1, get_num_threads());
        var best = double.MaxValue;
        var sink = new float[parts];
        for (var pass = 0; pass < 5; pass++)
        {
            var sw = Stopwatch.StartNew();
            KernelWorkers.Run(parts, part => sink[part] = FmaChains(iterations, part));
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return parts * (double)iterations * 8 * 8 * 2 / best;
    }

    /// <summary>Eight independent FMA chains of 256-bit vectors, <paramref name="iterations"/> rounds.</summary>
    private static float FmaChains(int iterations, int seed)
    {
        var m = Vector256.Create(0.999999f);
        var a = Vector256.Create(1f + seed);
        Vector256<float> a0 = a, a1 = a + a, a2 = a * m, a3 = a - m, a4 = a + m, a5 = a * a, a6 = m, a7 = m * m;
        for (var i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, m);
            a1 = Vector256.FusedMultiplyAdd(a1, m, m);
            a2 = Vector256.FusedMultiplyAdd(a2, m, m);
            a3 = Vector256.FusedMultiplyAdd(a3, m, m);
            a4 = Vector256.FusedMultiplyAdd(a4, m, m);
            a5 = Vector256.FusedMultiplyAdd(a5, m, m);
            a6 = Vector256.FusedMultiplyAdd(a6, m, m);
            a7 = Vector256.FusedMultiplyAdd(a7, m, m);
        }
        return Vector256.Sum(((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)));
    }

    private static Settings Parse(string[] args)
    {
        var config = ModelBenchmarkConfigs.Qwen25_05B;
        var shapeName = "Qwen2.5-0.5B shape";
        var dtype = ScalarType.BFloat16;
        int[] contexts = [128, 1024, 2048, 4096, 8192];
        int rounds = 8, steps = 4, calls = 20, threads = 0;
        string[] parts = ["attention", "decode"];
        var small = false;
        var variants = new List<Variant> { Variant.AsShipped };
        string shape = "qwen2.5-0.5b";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--shape": shape = args[++i]; break;
                case "--dtype": dtype = OrzDynamic.Core.Loading.ModelLoadOptions.ParseDType(args[++i]); break;
                case "--contexts": contexts = args[++i].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--calls": calls = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--parts": parts = args[++i].Split(','); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--small": small = true; break;
                case "--compare-prefetch": variants.Add(Variant.NoPrefetch); break;
                case "--compare-kernels": variants.Add(Variant.EightKeyKernels); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        config = ModelBenchmarkConfigs.Shapes[shape];
        shapeName = config == ModelBenchmarkConfigs.Qwen3_06B ? "Qwen3-0.6B shape" : "Qwen2.5-0.5B shape";
        if (small)
        {
            config = config == ModelBenchmarkConfigs.Qwen3_06B ? ModelBenchmarkConfigs.SmallQwen3 : ModelBenchmarkConfigs.Small;
            shapeName += " (small smoke config)";
        }
        if (contexts.Length == 0 || contexts.Any(n => n < 1) || rounds < 1 || steps < 1 || calls < 1) throw new ArgumentException("--contexts, --rounds, --steps and --calls must be positive");
        if (parts.Except(["attention", "decode", "attention-only"]).FirstOrDefault() is { } unknown) throw new ArgumentException($"unknown part '{unknown}'");
        return new Settings(config, shapeName, dtype, contexts, rounds, steps, calls, parts, threads, [.. variants.Distinct()]);
    }
}
