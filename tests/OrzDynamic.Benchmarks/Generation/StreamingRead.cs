using System.Diagnostics;
using OrzDynamic.Metrics.Runtime;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// The hardware limit the decode rows are compared with: the read bandwidth over a 1.24 GB float32 tensor (40 × this
/// host's 32 MB L3), the better of two readers — libtorch's sum (its OpenMP threads) and a plain vector sum split over
/// the torch thread count on the decode kernel's workers. The two disagree by up to 30 % from run to run here, and the
/// limit is what the better one shows.
/// </summary>
internal static class StreamingRead
{
    /// <summary>A fresh 1.24 GB float32 tensor of ones, read once (so its pages are mapped).</summary>
    public static Tensor Probe()
    {
        var x = ones(310_000_000L, ScalarType.Float32);
        x.sum().Dispose();
        return x;
    }

    /// <summary>Read bandwidth of a fresh probe, best of 5 passes of each reader, logged on stderr.</summary>
    public static double Bandwidth()
    {
        using var probe = Probe();
        return Measure(probe, 5, log: true);
    }

    /// <summary>Read bandwidth over <paramref name="probe"/> in bytes/s, the better reader's best of <paramref name="passes"/>.</summary>
    public static double Measure(Tensor probe, int passes, bool log = false)
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
}
