using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Core.Models;
using OrzDynamic.Metrics;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>
/// The scoring tail of <see cref="Core.Scoring.SequenceScorer"/> — final hidden states through lm_head in chunks of
/// P positions straight into <see cref="LearningDynamicsAccumulator"/> (metrics chunk C) — for a grid of (P, C), on the
/// model's real lm_head shape (Qwen2.5-0.5B: [151936, 896]) with T positions. lm_head streams its 0.54 GB weight once
/// per P-chunk, so P trades weight traffic against the [P, V] logits buffer. Reports the best of 3 wall times, extra
/// peak RSS (VmHWM reset before each variant) and the load average.
/// </summary>
internal static class ScoringChunkSweep
{
    public static void Run(CausalLM model, int tokens, int[] positionChunks, int[] metricsChunks, StringBuilder report)
    {
        var c = model.Config;
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var hidden = (randn([tokens, c.HiddenSize], generator: new TorchSharp.torch.Generator(4)) * 0.5).to(model.DType);
        var labels = randint(0, c.VocabSize, [tokens], ScalarType.Int64, generator: new TorchSharp.torch.Generator(5));
        report.AppendLine(CultureInfo.InvariantCulture, $"Scoring tail (lm_head + metrics) over {tokens} positions, {model.DType}, V = {c.VocabSize}; best of 3; load average {MachineLoad.Averages()} at start:");
        report.AppendLine();
        report.AppendLine("| position chunk P (ScoringChunkSize) | metrics ChunkSize C | wall s (best of 3) | positions/s | extra peak RSS MB | load avg |");
        report.AppendLine("|---:|---:|---:|---:|---:|---|");
        foreach (var p in positionChunks)
        {
            foreach (var chunk in metricsChunks)
            {
                var options = new MetricsOptions { ChunkSize = chunk };
                double Once()
                {
                    var sw = Stopwatch.StartNew();
                    using var acc = new LearningDynamicsAccumulator(c.VocabSize, options);
                    for (long start = 0; start < tokens; start += p)
                    {
                        using var chunkScope = NewDisposeScope();
                        var len = Math.Min(p, tokens - start);
                        acc.Add(model.ComputeLogits(hidden.narrow(0, start, len)), labels.narrow(0, start, len));
                    }
                    _ = acc.GetResult();
                    return sw.Elapsed.TotalSeconds;
                }
                Once(); // warm-up
                GC.Collect();
                ProcessMemory.TryResetPeak();
                var baseline = ProcessMemory.RssBytes();
                var best = Enumerable.Range(0, 3).Min(_ => Once());
                var extra = ProcessMemory.PeakRssBytes() - baseline;
                var line = string.Create(CultureInfo.InvariantCulture, $"| {p} | {chunk} | {best:F3} | {tokens / best:F0} | {extra / 1e6:F0} | {MachineLoad.Averages()} |");
                report.AppendLine(line);
                Console.Error.WriteLine(line);
            }
        }
        report.AppendLine();
    }
}
