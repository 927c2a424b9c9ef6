using System.Diagnostics;
using System.Globalization;
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Core.Sharding;

namespace OrzDynamic.Benchmarks.Merge;

/// <summary>
/// Merge at scale: writes a synthetic sharded run (default 100 checkpoints × 5 datasets × 2,000 samples = 1,000,000
/// journal records over 64 shards), then times <see cref="PlanMerger.Merge"/> over it and samples its peak RSS; repeats
/// at a smaller size to show that memory is flat in the record count. Reports machine load (uptime) with the figures.
/// <code>dotnet run -c Release --project samples/OrzDynamic.Benchmarks -- merge [--checkpoints 100] [--datasets 5] [--samples 2000] [--small 10] [--dir /tmp/x]</code>
/// </summary>
internal static class MergeBenchmark
{
    public static int Run(string[] args)
    {
        int checkpoints = Arg(args, "--checkpoints", 100), datasets = Arg(args, "--datasets", 5), samples = Arg(args, "--samples", 2000);
        int small = Arg(args, "--small", 10), shards = Arg(args, "--shards", 64);
        var root = ArgString(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "orz-merge-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"merge benchmark: {checkpoints} checkpoints × {datasets} datasets × {samples} samples, {shards} shards; {Environment.ProcessorCount} CPUs");
        try
        {
            foreach (var c in small > 0 && small < checkpoints ? new[] { small, checkpoints } : [checkpoints])
                Measure(Path.Combine(root, $"c{c}"), c, datasets, samples, shards);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
        return 0;
    }

    private static void Measure(string dir, int checkpoints, int datasets, int samples, int shards)
    {
        var sw = Stopwatch.StartNew();
        var (_, bytes) = SyntheticShardedRun.Write(dir, checkpoints, datasets, samples, shards, batchSize: 8, seed: 1);
        long records = (long)checkpoints * datasets * samples;
        Console.WriteLine($"  wrote {records:N0} records ({bytes / 1e6:N0} MB of journals) in {sw.Elapsed.TotalSeconds:0.0} s");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseline = ProcessMemory.RssBytes();
        bool hwm = ProcessMemory.TryResetPeak();
        var load = Uptime();
        using var sampler = new PeakRssSampler();
        sw.Restart();
        var result = PlanMerger.Merge(dir);
        var seconds = sw.Elapsed.TotalSeconds;
        long peak = Math.Max(sampler.PeakBytes, hwm ? ProcessMemory.PeakRssBytes() : 0);
        if (result.Records != records) throw new InvalidOperationException($"merged {result.Records} records, expected {records}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  merge {records:N0} records: {seconds:0.0} s ({records / seconds:N0} records/s, {bytes / 1e6 / seconds:0} MB/s of journal read, {2 * bytes / 1e6 / seconds:0} MB/s written); " +
            $"peak RSS {peak / 1048576.0:0} MB (process baseline before merge {baseline / 1048576.0:0} MB); load before: {load}; after: {Uptime()}"));
    }

    private static string Uptime()
    {
        try { return File.ReadAllText("/proc/loadavg").Trim(); } catch (IOException) { return "n/a"; }
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string? ArgString(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
