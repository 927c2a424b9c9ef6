using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>
/// Rotary embedding of q and k at the layer profile's shape (T tokens, the model's heads), float32 and bfloat16
/// interleaved in rounds (so that both see the same background load and neither is always "first"), with torch
/// threads 1 and 2: the current <see cref="RotaryEmbedding.Apply"/> (one product, two in-place multiply-adds) against the
/// earlier formulation x·cos + cat(−x₂, x₁)·sin. Min and median of 20 calls per round, per cell.
/// </summary>
internal static class RopeProbe
{
    public static void Run(ModelConfig c, int tokens, StringBuilder report)
    {
        using var scope = NewDisposeScope();
        var dtypes = new[] { ScalarType.Float32, ScalarType.BFloat16 };
        var rope = new RotaryEmbedding(c, CPU);
        var pos = arange(0, tokens, ScalarType.Int64).unsqueeze(0);
        var inputs = dtypes.ToDictionary(d => d, d =>
        {
            // q/k as the model sees them: transposed views of the projections' [B, T, heads, D] output.
            var q = randn([1, tokens, c.NumAttentionHeads, c.HeadDim]).to(d).transpose(1, 2);
            var k = randn([1, tokens, c.NumKeyValueHeads, c.HeadDim]).to(d).transpose(1, 2);
            var (cos, sin) = rope.Compute(pos, d);
            return (q, k, cos, sin);
        });
        static Tensor Old(Tensor x, Tensor cos, Tensor sin)
        {
            var half = x.shape[^1] / 2;
            var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
            return x * cos + rotated * sin;
        }
        var threadsBefore = get_num_threads();
        report.AppendLine(CultureInfo.InvariantCulture, $"RoPE q+k at T={tokens} ({c.NumAttentionHeads}+{c.NumKeyValueHeads} heads × {c.HeadDim}), ms min/median of 20 calls, 3 interleaved rounds; load average {MachineLoad.Averages()}:");
        report.AppendLine();
        report.AppendLine("| threads | round | dtype | current (3 passes) | earlier (5 passes) |");
        report.AppendLine("|---:|---:|---|---|---|");
        foreach (var threads in new[] { 1, 2 })
        {
            set_num_threads(threads);
            for (var round = 0; round < 3; round++)
            {
                foreach (var d in round % 2 == 0 ? dtypes : dtypes.Reverse())
                {
                    var (q, k, cos, sin) = inputs[d];
                    string Time(Func<Tensor, Tensor, Tensor, Tensor> apply)
                    {
                        var t = new List<double>();
                        for (var i = 0; i < 21; i++)
                        {
                            var sw = Stopwatch.StartNew();
                            using (var s = NewDisposeScope())
                            {
                                apply(q, cos, sin);
                                apply(k, cos, sin);
                            }
                            if (i > 0) t.Add(sw.Elapsed.TotalMilliseconds);
                        }
                        t.Sort();
                        return string.Create(CultureInfo.InvariantCulture, $"{t[0]:F2} / {t[t.Count / 2]:F2}");
                    }
                    var line = $"| {threads} | {round} | {d} | {Time(RotaryEmbedding.Apply)} | {Time(Old)} |";
                    report.AppendLine(line);
                    Console.Error.WriteLine(line);
                }
            }
        }
        set_num_threads(threadsBefore);
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {MachineLoad.Averages()}.");
        rope.Dispose();
    }
}
