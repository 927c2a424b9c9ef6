using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Core.Models;
using OrzDynamic.Core.Scoring;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>
/// Teacher-forced scoring of one long sequence (batch 1, every position scored, <see cref="SequenceScorer"/> as the
/// evaluator uses it): wall time, extra peak resident memory above the loaded weights (VmHWM reset right before the
/// call, minus VmRSS at that moment; a 1 ms sampler is the fallback), and FLOP utilisation counting the attention
/// FLOPs: (2 · parameters · T + 2 · T² · headDim · heads · layers) ÷ time ÷ matmul GFLOP/s of the model's own GEMM
/// shapes at M = T, measured in the same process right after the scoring. The memory baseline is taken the way a
/// user's process starts: after loading the weights and a 64-token warm-up only, before any large allocation (a GEMM
/// probe at M = T first would pre-grow the heap and hide what the scoring itself leaves behind). Run one T per
/// process for that reason. The report says whether the library's allocator tuning
/// (<c>OrzDynamic.Core.Memory.AllocatorPolicy</c>, opt out with <c>ORZDYNAMIC_MALLOC_TUNING=0</c>) was in force.
/// </summary>
internal static class LongScoring
{
    public static string Run(CausalLM model, int tokens, bool randomIds, StringBuilder report)
    {
        var c = model.Config;
        var name = model.DType.ToString().ToLowerInvariant();
        var random = new Random(1234);
        var seq = randomIds
            ? Enumerable.Range(0, tokens).Select(_ => random.Next(c.VocabSize)).ToArray()
            : Enumerable.Range(0, tokens).Select(i => (int)((i * 7919L + 13) % c.VocabSize)).ToArray();
        var labels = seq.Select(x => (long)x).ToArray();
        var scorer = new SequenceScorer(model);
        scorer.Score(seq[..64], labels[..64]); // warm-up: kernels and thread pool, no large allocation

        GC.Collect();
        var resetOk = ProcessMemory.TryResetPeak();
        var baseline = ProcessMemory.RssBytes();
        var load = MachineLoad.Averages();
        double seconds;
        long samplerPeak;
        using (var sampler = new PeakRssSampler())
        {
            var sw = Stopwatch.StartNew();
            var m = scorer.Score(seq, labels);
            seconds = sw.Elapsed.TotalSeconds;
            samplerPeak = sampler.PeakBytes;
            if (m.ValidTokens != tokens - 1) throw new InvalidOperationException($"scored {m.ValidTokens} positions, expected {tokens - 1}");
        }
        var extra = (resetOk ? Math.Max(ProcessMemory.PeakRssBytes(), samplerPeak) : samplerPeak) - baseline;
        var loadAfter = MachineLoad.Averages();
        var gemm = ModelBenchmark.MatmulGflops(c, model.DType, tokens);

        double linearFlops = 2.0 * c.ParameterCount * tokens;
        double attentionFlops = 2.0 * tokens * (double)tokens * c.HeadDim * c.NumAttentionHeads * c.NumHiddenLayers; // causal: QKᵀ and PV over T²/2 pairs
        var achieved = (linearFlops + attentionFlops) / seconds / 1e9;
        var weightBytes = model.parameters().Sum(p => p.numel() * p.element_size());
        var line = string.Create(CultureInfo.InvariantCulture,
            $"- {name} scoring of one {tokens}-token sequence ({(randomIds ? "random" : "strided")} ids, attention path {model.AttentionPath}, allocator tuning {(Core.Memory.AllocatorPolicy.IsApplied ? "on" : "off")}): {seconds:F1} s; extra peak RSS above the loaded weights ({weightBytes / 1073741824.0:F2} GiB) **{extra / 1073741824.0:F3} GiB** ({(resetOk ? "VmHWM reset + 1 ms sampler" : "1 ms sampler only")}); FLOPs {linearFlops / 1e12:F2} T (linear) + {attentionFlops / 1e12:F2} T (attention) → {achieved:F1} GFLOP/s = **{100 * achieved / gemm:F0}%** of the matmul rate {gemm:F1} GFLOP/s (measured after); load average {load} → {loadAfter}.");
        report.AppendLine(line);
        Console.Error.WriteLine(line);
        return line;
    }
}
