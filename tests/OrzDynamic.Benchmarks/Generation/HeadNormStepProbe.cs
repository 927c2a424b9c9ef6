using System.Diagnostics;
using System.Globalization;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Precision;
using static TorchSharp.torch;
using OrzDynamic.Core.Kernels;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// The cost of Qwen3's per-head q/k norms in a decoding step, at the Qwen3-0.6B attention shape (batch 1, 16 query
/// heads and 8 key/value heads of 128): the fused attention step without norms (Qwen2-style), with the norms inside it,
/// and with the norms as separate RMSNorm kernel calls before a step without them. Blocks of calls alternate between
/// the three (each taking each place in the order equally often), so each samples the same stretch of time; reports
/// the minimum and median time per call. Usage:
/// <c>decode-step-norms [--keys 130] [--blocks 100] [--calls 20] [--dtype bfloat16] [--threads N]</c>.
/// </summary>
internal static class HeadNormStepProbe
{
    private const int Heads = 16, KvHeads = 8, HeadDim = 128;

    public static int Run(string[] args)
    {
        int keys = 130, blocks = 100, calls = 20, threads = 0;
        var dtype = ScalarType.BFloat16;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--keys": keys = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--blocks": blocks = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--calls": calls = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--dtype": dtype = OrzDynamic.Core.Loading.ModelLoadOptions.ParseDType(args[++i]); break;
                    case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option '{args[i]}'");
                }
            }
            if (keys < 1 || blocks < 1 || calls < 1) throw new ArgumentException("--keys, --blocks and --calls must be positive");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            Console.Error.WriteLine($"decode-step-norms: {e.Message}");
            Console.Error.WriteLine("options: --keys N --blocks N --calls N --dtype bfloat16|float32 --threads N");
            return 2;
        }
        OrzDynamic.Metrics.Runtime.TorchNativeLoader.EnsureRegistered();
        if (threads > 0) set_num_threads(threads);
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        var g = new Generator(5);
        var q = randn([1, 1, Heads * HeadDim], generator: g).to(dtype);
        var k = randn([1, 1, KvHeads * HeadDim], generator: g).to(dtype);
        var v = randn([1, 1, KvHeads * HeadDim], generator: g).to(dtype);
        var angles = randn([1, 1, 1, HeadDim / 2], generator: g);
        var both = cat([angles, angles], -1);
        var cos = both.cos().to(dtype);
        var sin = both.sin().to(dtype);
        var cacheKeys = randn([1, KvHeads, keys, HeadDim], generator: g).to(dtype);
        var cacheValues = randn([1, KvHeads, keys, HeadDim], generator: g).to(dtype);
        using var qNorm = new RmsNorm("q_norm", HeadDim, 1e-6, dtype, CPU);
        using var kNorm = new RmsNorm("k_norm", HeadDim, 1e-6, dtype, CPU);
        qNorm.Weight.copy_(1 + 0.1 * randn([HeadDim], generator: g));
        kNorm.Weight.copy_(1 + 0.1 * randn([HeadDim], generator: g));
        var norms = new DecodeAttention.HeadNorms(qNorm.DecodeScale, kNorm.DecodeScale, 1e-6);
        long slot = keys - 1;
        if (!DecodeAttention.AppliesToStep(q, k, v, cos, sin, cacheKeys, cacheValues, null, norms))
        {
            Console.Error.WriteLine("decode-step-norms: the fused step does not apply on this host (kernels off or unsupported).");
            return 1;
        }

        var variants = new (string Name, Action Call)[]
        {
            ("fused step, no head norms (Qwen2-style)", () => DecodeAttention.Step(q, k, v, cos, sin, cacheKeys, cacheValues, slot, null).Dispose()),
            ("fused step with the head norms inside", () => DecodeAttention.Step(q, k, v, cos, sin, cacheKeys, cacheValues, slot, null, norms).Dispose()),
            ("head norms as separate RMSNorm kernel calls, then the fused step", () =>
            {
                using var qn = qNorm.Forward(q.view(Heads, 1, HeadDim));
                using var kn = kNorm.Forward(k.view(KvHeads, 1, HeadDim));
                using var qv = qn.view(1, 1, Heads * HeadDim);
                using var kv = kn.view(1, 1, KvHeads * HeadDim);
                DecodeAttention.Step(qv, kv, v, cos, sin, cacheKeys, cacheValues, slot, null).Dispose();
            }),
        };
        foreach (var (_, call) in variants) for (var i = 0; i < 50; i++) call(); // JIT to full optimisation
        var times = variants.Select(_ => new List<double>()).ToArray();
        for (var b = 0; b < blocks; b++)
        {
            for (var j = 0; j < variants.Length; j++)
            {
                var i = (b + j) % variants.Length; // each variant takes each place in the order equally often
                var sw = Stopwatch.StartNew();
                for (var c = 0; c < calls; c++) variants[i].Call();
                times[i].Add(sw.Elapsed.TotalSeconds / calls);
            }
        }
        var load = MachineLoad.Averages(", ", "load average ");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Qwen3-0.6B attention step, batch 1, {Heads} heads / {KvHeads} kv × {HeadDim}, {keys} keys, {PrecisionPlan.Name(dtype)}, {get_num_threads()} threads; {blocks} blocks of {calls} calls per variant, interleaved; load {load}"));
        Console.WriteLine("| variant | min µs / call | median µs / call | × 28 layers, median µs / token |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var i = 0; i < variants.Length; i++)
        {
            var median = SampleMedian.Of(times[i]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[i].Name} | {times[i].Min() * 1e6:F1} | {median * 1e6:F1} | {28 * median * 1e6:F0} |"));
        }
        return 0;
    }
}
