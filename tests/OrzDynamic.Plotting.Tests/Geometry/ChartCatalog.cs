using OrzDynamic.Core.Results;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Probes;
using OrzDynamic.Metrics;
using OrzDynamic.Plotting.Charts;

namespace OrzDynamic.Plotting.Tests.Geometry;

/// <summary>
/// One chart of every type, with the data that used to break the layout: strata with identical values (a model that
/// answers everything right scores Correct and Random tokens alike), ± std reaching past a metric's bounds, accuracy
/// of 100 %, tiny bars next to long whiskers, a missing stratum, more texts than item lines.
/// </summary>
internal static class ChartCatalog
{
    private static readonly int[] Iterations = [0, 1200, 2200];

    public static IEnumerable<TestCaseData> All()
    {
        yield return Case("comparison (typical)", () => ComparisonChartBuilder.Build(SampleData.Comparison()));
        yield return Case("comparison (tiny bars, long whiskers, n/a)", () => ComparisonChartBuilder.Build(DemoLikeComparison()));
        yield return Case("comparison (two strata)", () => ComparisonChartBuilder.Build(SampleData.Comparison(withRandom: false)));
        yield return Case("trends ± std", () => TrendsChartBuilder.Build(CoincidingTrend(), errorBars: TrendErrorBars.Std));
        yield return Case("trends CI", () => TrendsChartBuilder.Build(CoincidingTrend(), errorBars: TrendErrorBars.Ci));
        yield return Case("sample trends", () => TrendsChartBuilder.Build(SampleData.Trend()));
        yield return Case("trends of the demo run", () => TrendsChartBuilder.Build(DemoRunTrend()));
        yield return Case("fixed texts (groups, 8 of 9 items)", () => FixedResponseChartBuilder.Build(CustomSentences(items: 8, texts: 9)));
        yield return Case("probe answers (all = correct)", () => FixedResponseChartBuilder.Build(ProbeAnswers()));
        yield return Case("token heatmap", () => TokenHeatmapChartBuilder.Build(Heatmap()));
    }

    private static TestCaseData Case(string name, Func<ChartComposition> build) =>
        new TestCaseData(new Func<RenderedChart>(() => RenderedChart.Render(name, build()))).SetArgDisplayNames(name);

    /// <summary>The demo's last checkpoint: all answers correct, so Incorrect is empty; Random tokens scores almost
    /// like Correct; std far larger than the means of the small metrics.</summary>
    public static DatasetComparison DemoLikeComparison()
    {
        static StratumSummary Summary(int count, double[] means, double[] stds) => new(count,
            LdMetricKeys.Charted.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => new MetricStats(means[x.i], stds[x.i], count)));
        return new DatasetComparison("arith_demo", new Dictionary<Stratum, StratumSummary>
        {
            [Stratum.Correct] = Summary(40, [-0.01306, -0.01306, 31.96, 6.8e-4, 4.9e-4], [0.0267, 0.0267, 0.02, 0.0014, 0.001]),
            [Stratum.Incorrect] = new StratumSummary(0, new Dictionary<string, MetricStats>()),
            [Stratum.Random] = Summary(200, [-5.7e-4, -5.7e-4, 31.96, 7.8e-4, 5.5e-4], [0.0055, 0.0055, 0.03, 0.0075, 0.0054]),
        }, "iter2200");
    }

    /// <summary>The demo run's trends, read from the golden <c>trends.csv</c> (tests/golden/static).</summary>
    public static DatasetTrend DemoRunTrend()
    {
        var path = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../golden/static/trends.csv"));
        Assume.That(File.Exists(path), Is.True, path);
        static double Parse(string s) => s.Length == 0 ? double.NaN : double.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        var rows = File.ReadLines(path).Skip(1).Select(l => l.Split(',')).Where(c => c[0] == "arith_demo").ToList();
        TrendSeries SeriesOf(string stratum, string metric)
        {
            var mine = rows.Where(c => c[1] == stratum && c[2] == metric).ToList();
            return new TrendSeries(mine.Select(c => int.Parse(c[3], System.Globalization.CultureInfo.InvariantCulture)).ToArray(), mine.Select(c => Parse(c[4])).ToArray())
            {
                Std = mine.Select(c => Parse(c[5])).ToArray(),
                CiLow = mine.Select(c => Parse(c[6])).ToArray(),
                CiHigh = mine.Select(c => Parse(c[7])).ToArray(),
                SignificantChange = mine.Select(c => c[8] == "true").ToArray(),
            };
        }

        var metrics = Strata.Values.ToDictionary(s => s,
            s => (IReadOnlyDictionary<string, TrendSeries>)LdMetricKeys.Charted.ToDictionary(m => m, m => SeriesOf(s.Key(), m)));
        return new DatasetTrend("arith_demo", metrics, SeriesOf("all", "accuracy")) { SignificanceNote = "Stars: change vs previous checkpoint with Holm-adjusted p < 0.05" };
    }

    /// <summary>Correct and Random tokens identical in every metric; bands of the bounded metrics reach below 0;
    /// accuracy climbs to 100 %.</summary>
    public static DatasetTrend CoincidingTrend()
    {
        TrendSeries Series(double[] values, double[] std, bool significant) => new(Iterations, values)
        {
            Std = std,
            CiLow = values.Zip(std, (v, s) => v - (s / 3)).ToArray(),
            CiHigh = values.Zip(std, (v, s) => v + (s / 3)).ToArray(),
            SignificantChange = significant ? [false, true, true] : null,
        };
        var shared = new Dictionary<string, (double[] Values, double[] Std)>
        {
            [LdMetricKeys.OutToken] = ([-8, -0.2, -0.01], [3, 0.3, 0.02]),
            [LdMetricKeys.OutArgmax] = ([-6, -0.15, -0.01], [2, 0.2, 0.02]),
            [LdMetricKeys.ANorm] = ([22.6, 31.6, 31.96], [0.2, 0.5, 0.02]),
            [LdMetricKeys.ProbGap2Mean] = ([0.99, 0.05, 0.001], [0.01, 0.2, 0.01]),
            [LdMetricKeys.ProbEnergy] = ([0.99, 0.03, 0.0005], [0.01, 0.15, 0.005]),
        };
        IReadOnlyDictionary<string, TrendSeries> ForStratum(bool significant) =>
            shared.ToDictionary(kv => kv.Key, kv => Series(kv.Value.Values, kv.Value.Std, significant));
        var incorrect = shared.ToDictionary(kv => kv.Key, kv => Series(kv.Value.Values.Select(v => v * 1.3).ToArray(), kv.Value.Std, false));
        return new DatasetTrend("arith_demo", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Correct] = ForStratum(true),
            [Stratum.Incorrect] = incorrect,
            [Stratum.Random] = ForStratum(false),
        }, new TrendSeries(Iterations, [0.0, 0.45, 1.0]) { CiLow = [0, 0.3, 0.91], CiHigh = [0.09, 0.6, 1], SignificantChange = [false, true, true] })
        { SignificanceNote = "Stars: change vs previous checkpoint with Holm-adjusted p < 0.05" };
    }

    private static IReadOnlyDictionary<string, TrendSeries> Metrics(double scale) => LdMetricKeys.All.ToDictionary(m => m,
        m => new TrendSeries(Iterations, m switch
        {
            LdMetricKeys.OutToken or LdMetricKeys.OutArgmax or LdMetricKeys.OutExceptArgmax => [-160 * scale, -1.5 * scale, -0.01 * scale],
            LdMetricKeys.ANorm => [22.6, 31.6 * Math.Min(scale, 1.01), 31.96],
            LdMetricKeys.ArgmaxMatchRate => [0.01, 0.97 / scale, 1.0],
            _ => [1.0, 0.04 * scale, 0.0005 * scale],
        }));

    /// <summary>Custom sentences with groups; "all" and "chosen" coincide; <paramref name="items"/> item lines of
    /// <paramref name="texts"/> texts.</summary>
    public static FixedResponseTrend CustomSentences(int items, int texts)
    {
        var series = new List<FixedResponseSeries>
        {
            new("all", false, texts, Metrics(1)),
            new("chosen", false, 3, Metrics(1)),
            new("rejected", false, 3, Metrics(1.4)),
            new("rephrase", false, 3, Metrics(2)),
        };
        series.AddRange(Enumerable.Range(0, items).Select(i => new FixedResponseSeries($"pair {i}: 40+{i}={40 + i}", true, 1, Metrics(1 + (0.2 * i)))));
        return new FixedResponseTrend("custom_sentence_arith_pairs", "Custom sentences — arith_pairs", "arith_pairs.json, scored teacher-forced at every checkpoint", series);
    }

    /// <summary>Answer probes of a run where every reference answer was correct: "all" equals "correct".</summary>
    public static FixedResponseTrend ProbeAnswers()
    {
        var series = new List<FixedResponseSeries> { new(Strata.All, false, 40, Metrics(1)), new(Strata.Correct, false, 40, Metrics(1)) };
        series.AddRange(Enumerable.Range(0, 8).Select(i => new FixedResponseSeries($"#{i * 3}", true, 1, Metrics(1 + (0.3 * i)))));
        return new FixedResponseTrend("answers_from_iter2200/arith_demo", "Answers of iter2200 on arith_demo, scored at every checkpoint",
            "the same texts at every checkpoint", series);
    }

    public static TokenHeatmap Heatmap()
    {
        var rng = new Random(5);
        var rows = Iterations.Select((_, c) => (IReadOnlyList<double>)Enumerable.Range(0, 24).Select(t => -8.0 * rng.NextDouble() / (1 + (2 * c))).ToArray()).ToArray();
        return new TokenHeatmap("arith_demo#3", "arith_demo#3: log p per token", Iterations.Select(i => $"iter{i}").ToArray(), Iterations,
            Enumerable.Range(0, 24).Select(t => t % 5 == 0 ? " the" : $"t{t}").ToArray(), rows);
    }
}
