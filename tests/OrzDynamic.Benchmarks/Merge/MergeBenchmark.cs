using OrzDynamic.Core.Results;
using System.Diagnostics;
using System.Globalization;
using OrzDynamic.Benchmarks.Metrics;
using OrzDynamic.Core.Sharding;

namespace OrzDynamic.Benchmarks.Merge;

/// <summary>
/// Merge at scale: for each size, writes a synthetic sharded run (default 100 checkpoints × 5 datasets × 2,000 samples
/// = 1,000,000 journal records over 64 shards), then times <see cref="PlanMerger.Merge"/> over it in a fresh child
/// process and samples that process's peak RSS, so the figure is the merge's own and not memory the generator left
/// behind. Several sizes (<c>--sizes 10,50,100</c>) show whether memory is flat in the number of checkpoints. Reports
/// machine load (uptime) with the figures.
/// <code>dotnet run -c Release --project tests/OrzDynamic.Benchmarks -- merge [--sizes 10,100] [--datasets 5] [--samples 2000] [--shards 64] [--dir /tmp/x] [--in-process] [--gc-heap-limit-mb 48]</code>
/// <c>merge-one DIR</c> is the child: it merges DIR and prints one line of figures.
/// </summary>
internal static class MergeBenchmark
{
    public static int Run(string[] args)
    {
        int datasets = Arg(args, "--datasets", 5), samples = Arg(args, "--samples", 2000), shards = Arg(args, "--shards", 64);
        var sizes = ArgString(args, "--sizes") is { } list
            ? list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : SizesFromLegacyArgs(args);
        bool inProcess = args.Contains("--in-process");
        int heapLimitMb = Arg(args, "--gc-heap-limit-mb", 0);
        var root = ArgString(args, "--dir") ?? Path.Combine(Path.GetTempPath(), "orz-merge-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Console.WriteLine($"merge benchmark: {string.Join("/", sizes)} checkpoints × {datasets} datasets × {samples} samples, {shards} shards; " +
                          $"{Environment.ProcessorCount} CPUs; merge {(inProcess ? "in this process" : "in a fresh child process per size")}" +
                          (heapLimitMb > 0 && !inProcess ? $", child GC heap capped at {heapLimitMb} MB" : ""));
        foreach (var c in sizes)
        {
            var dir = Path.Combine(root, $"c{c}");
            try
            {
                var sw = Stopwatch.StartNew();
                var (_, bytes) = SyntheticShardedRun.Write(dir, c, datasets, samples, shards, batchSize: 8, seed: 1);
                long records = (long)c * datasets * samples;
                Console.WriteLine($"  wrote {records:N0} records ({bytes / 1e6:N0} MB of journals) in {sw.Elapsed.TotalSeconds:0.0} s");
                var line = inProcess ? Measure(dir) : MeasureInChild(dir, heapLimitMb);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c} checkpoints, {records:N0} records, {bytes / 1e6:0} MB journals: {line}"));
            }
            finally
            {
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        }
        try { Directory.Delete(root, recursive: false); } catch (IOException) { }
        return 0;
    }

    /// <summary>The child process: merges one directory and prints its figures.</summary>
    public static int RunOne(string[] args)
    {
        Console.WriteLine(Measure(args[0]));
        return 0;
    }

    private static int[] SizesFromLegacyArgs(string[] args)
    {
        int checkpoints = Arg(args, "--checkpoints", 100), small = Arg(args, "--small", 10);
        return small > 0 && small < checkpoints ? [small, checkpoints] : [checkpoints];
    }

    private static string MeasureInChild(string dir, int heapLimitMb)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(MergeBenchmark).Assembly.Location);
        // A hard cap on the child's GC heap (DOTNET_GCHeapHardLimit) shows what the merge needs, not what the GC let it keep.
        if (heapLimitMb > 0) psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)heapLimitMb << 20).ToString("x", CultureInfo.InvariantCulture);
        psi.ArgumentList.Add("merge-one");
        psi.ArgumentList.Add(dir);
        using var child = Process.Start(psi) ?? throw new InvalidOperationException("could not start the merge process");
        var output = child.StandardOutput.ReadToEnd().Trim();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"merge process exited {child.ExitCode}: {output}");
        return output;
    }

    private static string Measure(string dir)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long baseline = ProcessMemory.RssBytes();
        bool hwm = ProcessMemory.TryResetPeak();
        var load = MachineLoad.Line();
        using var sampler = new PeakRssSampler();
        var sw = Stopwatch.StartNew();
        var result = PlanMerger.Merge(dir);
        var seconds = sw.Elapsed.TotalSeconds;
        long peak = Math.Max(sampler.PeakBytes, hwm ? ProcessMemory.PeakRssBytes() : 0);
        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        long bytes = Directory.EnumerateFiles(Path.Combine(dir, OutputLayout.ShardsFolder), "*.jsonl", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return string.Create(CultureInfo.InvariantCulture,
            $"merge {result.Records:N0} records: {seconds:0.0} s ({result.Records / seconds:N0} records/s, {bytes / 1e6 / seconds:0} MB/s of journal read); " +
            $"peak RSS {peak / 1048576.0:0} MB (before merge {baseline / 1048576.0:0} MB; GC heap after {gc.HeapSizeBytes / 1048576.0:0} MB); load before: {load}; after: {MachineLoad.Line()}");
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
