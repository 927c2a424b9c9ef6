namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// Builds the trend chart of a fixed set of texts (custom sentences, or one checkpoint's answers scored under every
/// checkpoint): one panel per metric, x = iteration, a solid line with markers per mean series (all, correct /
/// incorrect, or the custom-sentence groups; nested so that coinciding means stay visible) and thin dashed lines for
/// single items, all named in the shared legend with a sample of their line. A note under the legend explains the
/// drawing and names how many texts have no line of their own.
/// Metrics spanning several orders of magnitude are drawn by magnitude on a log axis (see <see cref="LogScaleSpan"/>).
/// Same theme as <see cref="TrendsChartBuilder"/>.
/// </summary>
public static class FixedResponseChartBuilder
{
    /// <summary>Image width in pixels.</summary>
    public const int DefaultWidth = 1600;

    /// <summary>Image height in pixels for two panel rows.</summary>
    public const int DefaultHeight = 980;

    /// <summary>Metrics drawn, in panel order: the charted five plus argmax_match_rate.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [.. LdMetricKeys.Charted, LdMetricKeys.ArgmaxMatchRate];

    /// <summary>Builds the chart.</summary>
    public static ChartComposition Build(FixedResponseTrend trend)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var looks = FixedResponseStyle.Assign(trend.Series);
        var styled = trend.Series.Select((s, i) => (Series: s, Look: looks[i])).ToArray();
        var panels = Metrics.Select(m => BuildPanel(styled, m)).ToList();
        var iterations = trend.Series.SelectMany(s => s.Metrics.Values).SelectMany(s => s.Iterations).Distinct().Order().ToArray();
        var layout = new ChartLayout(
            Rows: 2,
            Columns: 3,
            Title: trend.Title,
            Subtitle: $"{trend.Subtitle} · iterations {string.Join(", ", iterations.Select(i => i.ToString(CultureInfo.InvariantCulture)))}",
            Legend: styled.Select(s => s.Look.LegendEntry(FixedResponseStyle.Legend(s.Series))).ToList())
        {
            LegendNote = LegendNote(trend),
        };
        return new ChartComposition(layout, panels, DefaultWidth, DefaultHeight);
    }

    /// <summary>
    /// The note under the legend: how means and single texts are drawn, and — when the chart draws fewer single-text
    /// lines than there are texts (the largest mean series' count) — how many are left out.
    /// </summary>
    /// <param name="trend">The trend.</param>
    /// <returns>The note; null when the chart has no series.</returns>
    public static string? LegendNote(FixedResponseTrend trend)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var means = trend.Series.Where(s => !s.IsItem).ToList();
        var items = trend.Series.Count(s => s.IsItem);
        var parts = new List<string>();
        if (means.Count > 0)
        {
            parts.Add(means.Count > 1
                ? $"Means: solid lines with markers, nested where they coincide ({means[0].Name} widest, underneath; {means[^1].Name} on top)"
                : "Mean: solid line with markers");
        }

        var total = means.Count == 0 ? items : Math.Max(items, means.Max(s => s.Count));
        if (items > 0)
        {
            parts.Add(items < total
                ? string.Create(CultureInfo.InvariantCulture, $"single texts: thin dashed lines, {items} of {total} drawn ({total - items} more only in the means)")
                : "single texts: thin dashed lines");
        }
        else if (total > 0 && means.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"no single-text lines drawn ({total} texts, in the means only)"));
        }

        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    /// <summary>
    /// How a metric's values are drawn: as they are, or — when they share one sign and span more than
    /// <see cref="LogScaleSpan"/> — by magnitude on a log axis (negated when negative, e.g. −out_token = NLL), so that
    /// late, small changes stay visible next to the large early ones.
    /// </summary>
    public const double LogScaleSpan = 100;

    private static (bool Log, double Sign) Scale(IReadOnlyList<(FixedResponseSeries Series, SeriesLook Look)> styled, string metric)
    {
        var values = styled.SelectMany(s => s.Series.Metrics.TryGetValue(metric, out var d) ? d.Values : []).Where(double.IsFinite).ToArray();
        if (values.Length == 0) return (false, 1);
        double sign = values.All(v => v < 0) ? -1 : values.All(v => v > 0) ? 1 : 0;
        if (sign == 0) return (false, 1);
        var magnitudes = values.Select(v => v * sign).ToArray();
        return (magnitudes.Max() / magnitudes.Min() > LogScaleSpan, sign);
    }

    private static PlotModel BuildPanel(IReadOnlyList<(FixedResponseSeries Series, SeriesLook Look)> styled, string metric)
    {
        var (log, sign) = Scale(styled, metric);
        if (!log) sign = 1;
        var title = !log ? metric : sign < 0 ? $"−{metric} (log scale)" : $"{metric} (log scale)";
        var model = ChartTheme.NewPanel(title);
        var points = new List<DataPoint>();
        // Item lines first, so the means are drawn on top; the means in their nesting order (widest first).
        foreach (var (s, look) in styled.OrderBy(x => x.Series.IsItem ? 0 : 1))
        {
            if (!s.Metrics.TryGetValue(metric, out var data) || !data.HasData) continue;
            var line = new LineSeries
            {
                Title = s.Name,
                Color = s.IsItem ? OxyColor.FromAColor(200, look.Color) : look.Color,
                StrokeThickness = look.Thickness,
                LineStyle = look.LineStyle,
                MarkerType = look.Marker,
                MarkerSize = look.MarkerSize,
                MarkerFill = look.Color,
                MarkerStroke = OxyColors.White,
                MarkerStrokeThickness = 1.2,
                XAxisKey = TrendsChartBuilder.IterationAxisKey,
                YAxisKey = TrendsChartBuilder.ValueAxisKey,
            };
            for (int i = 0; i < data.Iterations.Count; i++)
                if (double.IsFinite(data.Values[i])) line.Points.Add(new DataPoint(data.Iterations[i], sign * data.Values[i]));
            points.AddRange(line.Points);
            model.Series.Add(line);
        }
        if (points.Count == 0)
        {
            model.Annotations.Add(ChartTheme.NoDataAnnotation(new DataPoint(0.5, 0.5), TrendsChartBuilder.IterationAxisKey, TrendsChartBuilder.ValueAxisKey));
            model.Axes.Add(new LinearAxis { Key = TrendsChartBuilder.IterationAxisKey, Position = AxisPosition.Bottom, Minimum = 0, Maximum = 1, IsAxisVisible = false });
            model.Axes.Add(new LinearAxis { Key = TrendsChartBuilder.ValueAxisKey, Position = AxisPosition.Left, Minimum = 0, Maximum = 1, IsAxisVisible = false });
            model.PlotAreaBackground = ChartTheme.NoDataBackground;
            return model;
        }
        double xMin = points.Min(p => p.X), xMax = points.Max(p => p.X), xPad = Math.Max((xMax - xMin) * 0.08, 1);
        var x = new IterationAxis(points.Select(p => p.X))
        {
            Key = TrendsChartBuilder.IterationAxisKey,
            Position = AxisPosition.Bottom,
            Title = TrendsChartBuilder.IterationAxisTitle,
            Minimum = xMin - xPad,
            Maximum = xMax + xPad,
            StringFormat = "0",
            TickStyle = TickStyle.Outside,
        };
        double yMin = points.Min(p => p.Y), yMax = points.Max(p => p.Y);
        Axis y = log ? new LogarithmicAxis() : new LinearAxis();
        y.Key = TrendsChartBuilder.ValueAxisKey;
        y.Position = AxisPosition.Left;
        y.Title = title;
        y.StringFormat = "G4";
        y.MinimumPadding = 0.1;
        y.MaximumPadding = 0.1;
        y.TickStyle = TickStyle.Outside;
        if (!log && yMax - yMin < 1e-12 * Math.Max(1, Math.Abs(yMax)))
        {
            var pad = Math.Max(Math.Abs(yMax) * 0.05, 1e-3);
            y.Minimum = yMin - pad;
            y.Maximum = yMax + pad;
        }
        foreach (var axis in new Axis[] { x, y })
        {
            ChartTheme.StyleAxis(axis);
            ChartTheme.AddGrid(axis);
            model.Axes.Add(axis);
        }
        return model;
    }
}
