using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Core.Probes;

/// <summary>
/// Builds <see cref="FixedResponseTrend"/>s from probe records (answer probes or custom sentence scores) of several
/// checkpoints, and appends them to <c>trends.csv</c>.
/// </summary>
internal static class FixedResponseTrends
{
    /// <summary>Prefix of the <c>trends.csv</c> stratum column for single-item lines.</summary>
    public const string ItemPrefix = "item:";

    /// <summary>
    /// One trend per source (dataset or sentence file): "all", then correct/incorrect or the groups, then up to
    /// <paramref name="maxItemLines"/> single-item lines (items in index order; label, else "#index").
    /// A group with a single item is kept (its mean is that item) and reported as a warning.
    /// </summary>
    /// <param name="keyPrefix">Prefix of the trend key, e.g. "answers_from_iter2200/" or "custom_sentence_".</param>
    /// <param name="describe">Title and subtitle of a source's chart.</param>
    /// <param name="byCheckpoint">Records of every checkpoint.</param>
    /// <param name="maxItemLines">Item lines per source (0 = none).</param>
    /// <param name="logger">Receives warnings.</param>
    /// <exception cref="ProbeInputException">Two checkpoints share an iteration.</exception>
    public static IReadOnlyList<FixedResponseTrend> Build(string keyPrefix, Func<string, (string Title, string Subtitle)> describe,
        IReadOnlyList<(ProbeCheckpoint Checkpoint, IReadOnlyList<ProbeRecord> Records)> byCheckpoint, int maxItemLines = 0, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(byCheckpoint);
        ArgumentOutOfRangeException.ThrowIfNegative(maxItemLines);
        logger ??= NullLogger.Instance;
        var dup = byCheckpoint.GroupBy(c => c.Checkpoint.Iteration).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new ProbeInputException($"Checkpoints {string.Join(" and ", dup.Select(c => c.Checkpoint.Name))} have the same iteration {dup.Key}; trends need one checkpoint per iteration.");
        var ordered = byCheckpoint.OrderBy(c => c.Checkpoint.Iteration).ToArray();
        var iterations = ordered.Select(c => c.Checkpoint.Iteration).ToArray();
        var points = ProbeAggregator.Aggregate(ordered);
        var trends = new List<FixedResponseTrend>();
        foreach (var source in points.Select(p => p.Source).Distinct(StringComparer.Ordinal))
        {
            var series = new List<FixedResponseSeries>();
            foreach (var stratum in points.Where(p => p.Source == source).Select(p => p.Stratum).Distinct(StringComparer.Ordinal))
            {
                var mine = points.Where(p => p.Source == source && p.Stratum == stratum).ToArray();
                var metrics = LdMetricKeys.All.ToDictionary(m => m, m => Series(iterations, mine.Where(p => p.Metric == m).ToDictionary(p => p.Iteration, p => p.Mean)) with
                {
                    Std = Series(iterations, mine.Where(p => p.Metric == m).ToDictionary(p => p.Iteration, p => p.Std)).Values,
                });
                series.Add(new FixedResponseSeries(stratum, false, mine.Max(p => p.Count), metrics));
            }
            var items = ordered.SelectMany(c => c.Records).Where(r => r.Source == source).GroupBy(r => r.Index).OrderBy(g => g.Key).ToArray();
            foreach (var group in items.Select(g => g.First()).Where(r => r.Group is not null).GroupBy(r => r.Group!).Where(g => g.Count() == 1))
                logger.LogWarning("Custom sentences '{Source}': group '{Group}' has a single sentence (#{Index}); its series is that sentence alone, with no spread",
                    source, group.Key, group.Single().Index);
            foreach (var item in items.Take(maxItemLines))
            {
                var first = item.First();
                var byIteration = ordered.Select(c => (c.Checkpoint.Iteration, Record: c.Records.FirstOrDefault(r => r.Source == source && r.Index == item.Key)))
                    .Where(x => x.Record?.LdMetrics is { IsValid: true }).ToDictionary(x => x.Iteration, x => x.Record!.LdMetrics!);
                var metrics = LdMetricKeys.All.ToDictionary(m => m, m => Series(iterations, byIteration.ToDictionary(kv => kv.Key, kv => kv.Value.Get(m))));
                var name = first.Label ?? (first.Group is null ? $"#{item.Key}" : $"{first.Group} #{item.Key}");
                series.Add(new FixedResponseSeries(name, true, 1, metrics));
            }
            if (items.Length > maxItemLines && maxItemLines > 0)
                logger.LogInformation("'{Source}': {Shown} of {Total} item lines drawn (raise the limit to see more)", source, maxItemLines, items.Length);
            var (title, subtitle) = describe(source);
            trends.Add(new FixedResponseTrend(keyPrefix + source, title, subtitle, series));
        }
        return trends;
    }

    private static TrendSeries Series(int[] iterations, IReadOnlyDictionary<int, double> values) =>
        new(iterations, iterations.Select(i => values.TryGetValue(i, out var v) ? v : double.NaN).ToArray());

    /// <summary>
    /// Appends the trends to <paramref name="trendsCsv"/> in its format (<see cref="TrendsCsvWriter.Header"/>;
    /// dataset = <see cref="FixedResponseTrend.Key"/>, stratum = series name, item lines prefixed with
    /// <see cref="ItemPrefix"/>; value and std filled, the interval and significance columns left empty). With <paramref name="appendToExisting"/> false (or no file yet) the file is started
    /// afresh with its header. Written through a temp file + rename.
    /// </summary>
    /// <returns>Rows appended.</returns>
    public static int AppendCsv(string trendsCsv, IReadOnlyList<FixedResponseTrend> trends, bool appendToExisting = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(trendsCsv);
        ArgumentNullException.ThrowIfNull(trends);
        var sb = new StringBuilder(appendToExisting && File.Exists(trendsCsv) ? File.ReadAllText(trendsCsv) : TrendsCsvWriter.Header + "\n");
        if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
        int rows = 0;
        var emptyColumns = new string(',', Math.Max(0, TrendsCsvWriter.Header.Split(',').Length - 6));
        foreach (var trend in trends)
            foreach (var s in trend.Series)
                foreach (var (metric, series) in s.Metrics.OrderBy(kv => IndexOf(kv.Key)))
                    for (int i = 0; i < series.Iterations.Count; i++, rows++)
                        sb.Append(Escape(trend.Key)).Append(',').Append(Escape((s.IsItem ? ItemPrefix : "") + s.Name)).Append(',').Append(metric).Append(',')
                            .Append(series.Iterations[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                            .Append(series.Values[i].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                            .Append(series.Std is { } std && double.IsFinite(std[i]) ? std[i].ToString("R", CultureInfo.InvariantCulture) : "")
                            .Append(emptyColumns).Append('\n');
        var tmp = trendsCsv + ".tmp";
        File.WriteAllText(tmp, sb.ToString(), new UTF8Encoding(false));
        File.Move(tmp, trendsCsv, overwrite: true);
        return rows;
    }

    private static int IndexOf(string metric)
    {
        for (int i = 0; i < LdMetricKeys.All.Count; i++) if (LdMetricKeys.All[i] == metric) return i;
        return int.MaxValue;
    }

    private static string Escape(string s) => s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
