using System.Diagnostics;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>Times single decode-shaped GEMMs ([M, 896] × [896, 4864]) for M = 1 and 8 with 1 and 2 torch threads.</summary>
internal static class GemmProbe
{
    public static void Run(ScalarType dtype, StringBuilder report)
    {
        using var scope = NewDisposeScope();
        var w = randn([4864, 896]).to(dtype);
        var original = get_num_threads();
        foreach (var threads in new[] { 1, 2 })
        {
            set_num_threads(threads);
            foreach (var m in new[] { 1, 8, 64 })
            {
                var x = randn([m, 896]).to(dtype);
                for (var i = 0; i < 5; i++) nn.functional.linear(x, w).Dispose();
                var times = new List<double>();
                for (var i = 0; i < 50; i++)
                {
                    var sw = Stopwatch.StartNew();
                    nn.functional.linear(x, w).Dispose();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                report.AppendLine(CultureInfo.InvariantCulture, $"- {dtype} GEMM [{m}, 896]×[896, 4864], {threads} thread(s): median {times[25]:F2} ms, min {times[0]:F2} ms");
            }
        }
        set_num_threads(original);
    }
}
