namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// Builds the pass@k chart of one dataset evaluated with several answers per prompt: x = k on a log₂ scale (ticks 1,
/// 2, 4, …, K), y = pass@k in percent, one line with markers per checkpoint (coloured in checkpoint order, named by
/// iteration). Lines that fan out with k mean a checkpoint solves more prompts at some of its K tries than on average;
/// lines that cross show RL narrowing (higher pass@1, lower pass@K) or widening what a model can solve.
/// </summary>
public static class PassAtKChartBuilder
{
    /// <summary>Image width in pixels.</summary>
    public const int DefaultWidth = 1100;

    /// <summary>Image height in pixels.</summary>
    public const int DefaultHeight = 760;

    /// <summary>The pass@k points of each checkpoint: iteration → (k, pass@k) with a finite value, k ascending.</summary>
    /// <param name="trend">The dataset's trends (<see cref="DatasetTrend.SampleMetrics"/>).</param>
    public static IReadOnlyList<(int Iteration, IReadOnlyList<(int K, double Value)> Points)> Curves(DatasetTrend trend)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var ks = trend.SampleMetrics.Keys
            .Where(n => n.StartsWith("pass@", StringComparison.Ordinal))
            .Select(n => (Name: n, K: int.Parse(n["pass@".Length..], CultureInfo.InvariantCulture)))
            .OrderBy(x => x.K).ToArray();
        var iterations = ks.SelectMany(x => trend.SampleMetrics[x.Name].Iterations).Distinct().Order().ToArray();
        var curves = new List<(int, IReadOnlyList<(int, double)>)>();
        foreach (var iteration in iterations)
        {
            var points = new List<(int, double)>();
            foreach (var (name, k) in ks)
            {
                var series = trend.SampleMetrics[name];
                int i = IndexOf(series.Iterations, iteration);
                if (i >= 0 && double.IsFinite(series.Values[i])) points.Add((k, series.Values[i]));
            }
            if (points.Count > 0) curves.Add((iteration, points));
        }
        return curves;
    }

    private static int IndexOf(IReadOnlyList<int> values, int value)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i] == value) return i;
        return -1;
    }

    /// <summary>Builds the chart; null when <paramref name="trend"/> has no pass@k values.</summary>
    public static ChartComposition? Build(DatasetTrend trend)
    {
        var curves = Curves(trend);
        if (curves.Count == 0) return null;
        var panel = ChartTheme.NewPanel("pass@k");
        int maxK = curves.Max(c => c.Points.Max(p => p.K));
        // A log₂ axis drawn as a linear axis over log₂ k, so the ticks are exactly the powers of two 1, 2, 4, … K.
        var x = new LinearAxis
        {
            Position = AxisPosition.Bottom, Title = "k (answers drawn per prompt, log scale)", Key = "k",
            Minimum = -0.25, Maximum = Math.Log2(maxK) + 0.25, MajorStep = 1, MinorStep = 1,
            LabelFormatter = v => Math.Pow(2, Math.Round(v)).ToString("0", CultureInfo.InvariantCulture),
        };
        var y = new LinearAxis { Position = AxisPosition.Left, Title = "pass@k (%)", Key = "p", Minimum = -2, Maximum = 102, MajorStep = 20 };
        foreach (var axis in new Axis[] { x, y })
        {
            ChartTheme.StyleAxis(axis);
            ChartTheme.AddGrid(axis);
            panel.Axes.Add(axis);
        }
        var legend = new List<LegendEntry>();
        for (int c = 0; c < curves.Count; c++)
        {
            var color = ChartPalette.All[c % ChartPalette.All.Count];
            var line = new LineSeries
            {
                Color = color, StrokeThickness = 2, MarkerType = MarkerType.Circle, MarkerSize = 4, MarkerFill = color,
                XAxisKey = "k", YAxisKey = "p",
            };
            foreach (var (k, value) in curves[c].Points) line.Points.Add(new DataPoint(Math.Log2(k), 100 * value));
            panel.Series.Add(line);
            legend.Add(new LegendEntry(string.Create(CultureInfo.InvariantCulture, $"iter {curves[c].Iteration}"), color)
            {
                LineStyle = LineStyle.Solid, Marker = MarkerType.Circle, MarkerSize = 4,
            });
        }
        var layout = new ChartLayout(1, 1, $"{trend.Dataset}: pass@k by checkpoint",
            Subtitle: string.Create(CultureInfo.InvariantCulture, $"unbiased estimator over {maxK} answers per prompt; k on a log scale"),
            Legend: legend);
        return new ChartComposition(layout, [panel], DefaultWidth, DefaultHeight);
    }
}
