namespace OrzDynamic.Core.Probes;

/// <summary>
/// Turns probe records of several checkpoints into trends: per source, per stratum ("all", then correct / incorrect
/// or the custom-sentence groups), per metric, the mean over the stratum's items at each checkpoint. Every checkpoint
/// scores the same items, so the trend follows fixed texts. Items with invalid metrics are left out of the means.
/// </summary>
internal static class ProbeAggregator
{
    /// <summary>Aggregates; points sorted by source, stratum ("all" first), metric (catalog order), iteration.</summary>
    public static IReadOnlyList<ProbeTrendPoint> Aggregate(IEnumerable<(ProbeCheckpoint Checkpoint, IReadOnlyList<ProbeRecord> Records)> byCheckpoint)
    {
        ArgumentNullException.ThrowIfNull(byCheckpoint);
        var points = new List<ProbeTrendPoint>();
        foreach (var (checkpoint, records) in byCheckpoint)
        {
            foreach (var source in records.GroupBy(r => r.Source, StringComparer.Ordinal))
            {
                var strata = new List<(string Name, IReadOnlyList<ProbeRecord> Items)> { (Strata.All, source.ToArray()) };
                strata.AddRange(source.GroupBy(r => r.Stratum, StringComparer.Ordinal).Where(g => g.Key != Strata.All)
                    .Select(g => (g.Key, (IReadOnlyList<ProbeRecord>)g.ToArray())));
                foreach (var (name, items) in strata)
                {
                    var valid = items.Where(r => r.LdMetrics is { IsValid: true }).Select(r => r.LdMetrics!).ToArray();
                    var stratum = StratumResult.Of(valid);
                    foreach (var metric in LdMetricKeys.All)
                    {
                        var s = stratum.Metrics[metric];
                        points.Add(new ProbeTrendPoint(source.Key, name, metric, checkpoint.Iteration, checkpoint.Name, s.Mean, s.Std, s.Count));
                    }
                }
            }
        }
        var metricOrder = LdMetricKeys.All.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i);
        return points
            .OrderBy(p => p.Source, StringComparer.Ordinal)
            .ThenBy(p => StratumOrder(p.Stratum)).ThenBy(p => p.Stratum, StringComparer.Ordinal)
            .ThenBy(p => metricOrder[p.Metric])
            .ThenBy(p => p.Iteration)
            .ToArray();
    }

    private static int StratumOrder(string s) => s switch
    {
        Strata.All => 0,
        Strata.Correct => 1,
        Strata.Incorrect => 2,
        _ => 3,
    };

    /// <summary>
    /// Writes the points as CSV (<c>source,stratum,metric,iteration,checkpoint,mean,std,count</c>; round-trip number
    /// format), through a temp file and rename.
    /// </summary>
    public static void WriteCsv(IReadOnlyList<ProbeTrendPoint> points, string path)
    {
        ArgumentNullException.ThrowIfNull(points);
        var sb = new StringBuilder("source,stratum,metric,iteration,checkpoint,mean,std,count\n");
        foreach (var p in points)
            sb.Append(Csv(p.Source)).Append(',').Append(Csv(p.Stratum)).Append(',').Append(p.Metric).Append(',')
                .Append(p.Iteration.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(p.Checkpoint)).Append(',')
                .Append(p.Mean.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.Std.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(p.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, sb.ToString());
        File.Move(tmp, path, overwrite: true);
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
