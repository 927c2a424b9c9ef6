namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// Builds the per-dataset trends chart (<c>ld_trends_&lt;dataset&gt;.png</c>) as pure data: a grid
/// with one panel per metric (x = checkpoint iteration, one line with markers per stratum, marker shape per
/// stratum) and a last panel with the
/// accuracy in percent. Panels without any finite value show a "No Data" annotation instead of lines. Optional shaded
/// bands (<see cref="TrendErrorBars"/>: ± std or confidence interval) surround each line, and a star marks the middle
/// of every segment whose change is significant (<see cref="TrendSeries.SignificantChange"/>); the footer names the
/// band and the test.
/// </summary>
public static class TrendsChartBuilder
{
    /// <summary>Recommended image width in pixels (three panel columns).</summary>
    public const int DefaultWidth = 1600;

    /// <summary>Recommended image height in pixels (two panel rows).</summary>
    public const int DefaultHeight = 980;

    /// <summary>Number of panel columns of the grid.</summary>
    public const int Columns = 3;

    /// <summary>Text of the annotation shown in panels without data.</summary>
    public const string NoDataText = ChartTheme.NoDataText;

    /// <summary>Title of the accuracy panel.</summary>
    public const string AccuracyTitle = "Accuracy";

    /// <summary>Title of the iteration (x) axis of every panel.</summary>
    public const string IterationAxisTitle = "Iteration";

    /// <summary>Title of the value axis of the accuracy panel.</summary>
    public const string AccuracyAxisTitle = "Accuracy (%)";

    /// <summary>Key of the iteration (x) axis of every panel.</summary>
    public const string IterationAxisKey = "iteration";

    /// <summary>Key of the value (y) axis of every panel.</summary>
    public const string ValueAxisKey = "value";

    /// <summary>Builds the trends chart of one dataset: metric panels in order, then the accuracy panel.</summary>
    /// <param name="trend">The dataset's trends.</param>
    /// <param name="metrics">Metrics to show, in order; <c>null</c> for <see cref="LdMetricKeys.Charted"/> (giving a 2×3 grid).</param>
    /// <param name="errorBars">The band drawn around each line (default ± std, as the Python tool).</param>
    /// <returns>Panels and layout.</returns>
    /// <exception cref="PlotDataException">A series is invalid (length mismatch, unordered iterations, accuracy outside [0, 1]).</exception>
    public static ChartComposition Build(DatasetTrend trend, IReadOnlyList<string>? metrics = null, TrendErrorBars errorBars = TrendErrorBars.Std)
    {
        ArgumentNullException.ThrowIfNull(trend);
        trend.Validate();
        metrics ??= LdMetricKeys.Charted;

        var strata = Strata.Values.Where(trend.Metrics.ContainsKey).ToList();
        var panels = new List<PlotModel>(metrics.Count + 1);
        panels.AddRange(metrics.Select(m => BuildMetricPanel(trend, m, errorBars)));
        panels.Add(BuildAccuracyPanel(trend, errorBars));

        var rows = (panels.Count + Columns - 1) / Columns;
        var iterations = AllIterations(trend);
        var subtitle = iterations.Count == 0
            ? "No checkpoints"
            : $"Mean per stratum{BandSuffix(trend, errorBars)} across {iterations.Count} checkpoint{(iterations.Count == 1 ? string.Empty : "s")} (iterations {string.Join(", ", iterations.Select(i => i.ToString(CultureInfo.InvariantCulture)))})";
        var layout = new ChartLayout(
            Rows: rows,
            Columns: Columns,
            Title: $"Learning-dynamics trends — {trend.Dataset}",
            Subtitle: subtitle,
            Legend: strata.Select((s, k) => LegendOf(s, k, strata.Count)).ToList(),
            Footer: FormatFooter(trend, errorBars))
        {
            LegendNote = strata.Count > 1 ? SeriesNesting.LegendNote(strata[0].DisplayName(), strata[^1].DisplayName()) : null,
        };
        return new ChartComposition(layout, panels, DefaultWidth, DefaultHeight * rows / 2);
    }

    /// <summary>
    /// The footer line: what the bands show and what the significance stars mean; null when there is neither.
    /// </summary>
    /// <param name="trend">The dataset's trends.</param>
    /// <param name="errorBars">The band kind.</param>
    /// <returns>The footer or <c>null</c>.</returns>
    public static string? FormatFooter(DatasetTrend trend, TrendErrorBars errorBars)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var band = errorBars switch
        {
            TrendErrorBars.Std => "Bands: mean ± 1 std",
            TrendErrorBars.Ci => string.Create(CultureInfo.InvariantCulture,
                $"Bands: {trend.ConfidenceLevel * 100:0.#}% CI (means: Student t; accuracy: Wilson)"),
            _ => null,
        };
        var parts = new[] { band, trend.SignificanceNote }.Where(p => !string.IsNullOrEmpty(p)).ToArray();
        return parts.Length == 0 ? null : string.Join(".  ", parts);
    }

    /// <summary>Builds the panel of one metric: one <see cref="LineSeries"/> (with markers) per stratum present in
    /// <paramref name="trend"/>, its band (clipped to the metric's <see cref="LdMetricDescriptor.Domain"/>) and its
    /// significance stars; non-finite values are skipped; "No Data" when nothing is finite. The lines are nested
    /// (<see cref="SeriesNesting"/>): Correct is drawn first, widest and with the largest markers, Random tokens last and
    /// narrowest, so coinciding strata stay visible.</summary>
    /// <param name="trend">The dataset's trends.</param>
    /// <param name="metric">The metric (panel title and y-axis title).</param>
    /// <param name="errorBars">The band drawn around each line.</param>
    /// <returns>The panel.</returns>
    public static PlotModel BuildMetricPanel(DatasetTrend trend, string metric, TrendErrorBars errorBars = TrendErrorBars.Std)
    {
        ArgumentNullException.ThrowIfNull(trend);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);

        var model = ChartTheme.NewPanel(metric);
        var series = new List<LineSeries>();
        var extras = new List<XYAxisSeries>();
        var domain = DomainOf(metric);
        var strata = Strata.Values.Where(trend.Metrics.ContainsKey).ToList();
        for (var k = 0; k < strata.Count; k++)
        {
            var stratum = strata[k];
            var data = trend.Get(stratum, metric);
            if (!data.HasData)
            {
                continue;
            }

            var color = stratum.Color();
            var line = NewLine(stratum.DisplayName(), color, stratum.Marker(), k, strata.Count);
            line.Points.AddRange(FinitePoints(data, 1));
            series.Add(line);
            if (Band(data, errorBars, 1, color, domain) is { } band)
            {
                extras.Insert(0, band);
            }

            if (SignificanceStars(data, 1, color) is { } stars)
            {
                extras.Add(stars);
            }
        }

        if (series.Count == 0)
        {
            return NoDataPanel(model, metric);
        }

        AddAxes(model, series.SelectMany(s => s.Points).Concat(extras.OfType<AreaSeries>().SelectMany(a => a.Points.Concat(a.Points2))), metric, fixedRange: null);
        foreach (var band in extras.OfType<AreaSeries>())
        {
            model.Series.Add(band);
        }

        foreach (var s in series)
        {
            model.Series.Add(s);
        }

        foreach (var stars in extras.OfType<ScatterSeries>())
        {
            model.Series.Add(stars);
        }

        return model;
    }

    /// <summary>The domain of <paramref name="metric"/> from the descriptor table; unbounded for a metric not in it.</summary>
    /// <param name="metric">The metric key.</param>
    /// <returns>The domain bands are clipped to.</returns>
    public static MetricDomain DomainOf(string metric) =>
        LdMetricKeys.Descriptors.FirstOrDefault(d => d.Key == metric)?.Domain ?? MetricDomain.Unbounded;

    /// <summary>The legend entry of the <paramref name="index"/>-th of <paramref name="count"/> strata: a line sample
    /// with the stratum's marker, in the width the panels draw it.</summary>
    private static LegendEntry LegendOf(Stratum stratum, int index, int count) =>
        new(stratum.DisplayName(), stratum.Color())
        {
            LineStyle = LineStyle.Solid,
            LineThickness = SeriesNesting.Thickness(index, count),
            Marker = stratum.Marker(),
            MarkerSize = SeriesNesting.MarkerSize(stratum.Marker(), SeriesNesting.MarkerExtent(index, count)),
        };

    /// <summary>The shaded band of <paramref name="data"/> (± std or the interval, clipped to
    /// <paramref name="domain"/>), or null when it has none.</summary>
    private static AreaSeries? Band(TrendSeries data, TrendErrorBars errorBars, double scale, OxyColor color, MetricDomain domain)
    {
        var area = new AreaSeries
        {
            Color = OxyColors.Transparent,
            Fill = OxyColor.FromAColor(48, color),
            StrokeThickness = 0,
            XAxisKey = IterationAxisKey,
            YAxisKey = ValueAxisKey,
        };
        for (var i = 0; i < data.Iterations.Count; i++)
        {
            double low, high;
            switch (errorBars)
            {
                case TrendErrorBars.Std when data.Std is { } std && double.IsFinite(std[i]) && double.IsFinite(data.Values[i]):
                    (low, high) = (data.Values[i] - std[i], data.Values[i] + std[i]);
                    break;
                case TrendErrorBars.Ci when data.CiLow is { } lo && data.CiHigh is { } hi && double.IsFinite(lo[i]) && double.IsFinite(hi[i]):
                    (low, high) = (lo[i], hi[i]);
                    break;
                default:
                    continue;
            }

            area.Points.Add(new DataPoint(data.Iterations[i], domain.Clamp(high) * scale));
            area.Points2.Add(new DataPoint(data.Iterations[i], domain.Clamp(low) * scale));
        }

        return area.Points.Count == 0 ? null : area;
    }

    /// <summary>A star at the middle of each segment whose change is significant, or null when there is none.</summary>
    private static ScatterSeries? SignificanceStars(TrendSeries data, double scale, OxyColor color)
    {
        if (data.SignificantChange is not { } significant)
        {
            return null;
        }

        var stars = new ScatterSeries
        {
            MarkerType = MarkerType.Star,
            MarkerSize = 9,
            MarkerStroke = ChartTheme.Darken(color, 0.6),
            MarkerStrokeThickness = 2.5,
            MarkerFill = ChartTheme.Darken(color, 0.6),
            XAxisKey = IterationAxisKey,
            YAxisKey = ValueAxisKey,
        };
        for (var i = 1; i < data.Iterations.Count; i++)
        {
            if (significant[i] && double.IsFinite(data.Values[i]) && double.IsFinite(data.Values[i - 1]))
            {
                stars.Points.Add(new ScatterPoint(
                    (data.Iterations[i] + data.Iterations[i - 1]) / 2.0,
                    (data.Values[i] + data.Values[i - 1]) / 2.0 * scale));
            }
        }

        return stars.Points.Count == 0 ? null : stars;
    }

    /// <summary>Builds the accuracy panel: accuracy in percent per iteration with point labels, the Wilson band in
    /// <see cref="TrendErrorBars.Ci"/> mode and significance stars; "No Data" when absent.</summary>
    /// <param name="trend">The dataset's trends.</param>
    /// <param name="errorBars">The band kind (accuracy has no std band).</param>
    /// <returns>The panel.</returns>
    public static PlotModel BuildAccuracyPanel(DatasetTrend trend, TrendErrorBars errorBars = TrendErrorBars.Std)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var model = ChartTheme.NewPanel(AccuracyTitle);
        if (trend.Accuracy is not { HasData: true } accuracy)
        {
            return NoDataPanel(model, AccuracyAxisTitle);
        }

        var line = NewLine(AccuracyTitle, ChartTheme.AccuracyLine, MarkerType.Circle, 0, 1);
        line.Points.AddRange(FinitePoints(accuracy, 100));
        AddAxes(model, line.Points, AccuracyAxisTitle, fixedRange: (AccuracyAxisMinimum, AccuracyAxisMaximum));
        model.Axes.Single(a => a.Key == ValueAxisKey).MajorStep = 20;
        if (errorBars == TrendErrorBars.Ci && Band(accuracy, errorBars, 100, ChartTheme.AccuracyLine, new MetricDomain(0, 1)) is { } band)
        {
            model.Series.Add(band);
        }

        foreach (var point in line.Points)
        {
            model.Annotations.Add(AccuracyLabel(point));
        }

        model.Series.Add(line);
        if (SignificanceStars(accuracy, 100, ChartTheme.AccuracyLine) is { } stars)
        {
            model.Series.Add(stars);
        }

        return model;
    }

    /// <summary>Lower end of the accuracy axis (below 0 so a 0 % marker is not cut by the frame).</summary>
    public const double AccuracyAxisMinimum = -6;

    /// <summary>Upper end of the accuracy axis: above 100 with room for the label of a 100 % point.</summary>
    public const double AccuracyAxisMaximum = 116;

    /// <summary>The "45.0%" label above an accuracy point.</summary>
    private static TextAnnotation AccuracyLabel(DataPoint point)
    {
        var label = ChartTheme.ValueLabel(string.Create(CultureInfo.InvariantCulture, $"{point.Y:0.0}%"), point, -9, ChartTheme.Text, IterationAxisKey, ValueAxisKey);
        label.Background = OxyColors.Undefined;
        label.Padding = new OxyThickness(0);
        return label;
    }

    private static string BandSuffix(DatasetTrend trend, TrendErrorBars errorBars) => errorBars switch
    {
        TrendErrorBars.Std => " (band: ± std)",
        TrendErrorBars.Ci => string.Create(CultureInfo.InvariantCulture, $" (band: {trend.ConfidenceLevel * 100:0.#}% CI)"),
        _ => string.Empty,
    };

    private static LineSeries NewLine(string title, OxyColor color, MarkerType marker, int index, int count) => new()
    {
        Title = title,
        Color = color,
        StrokeThickness = SeriesNesting.Thickness(index, count),
        MarkerType = marker,
        MarkerSize = SeriesNesting.MarkerSize(marker, SeriesNesting.MarkerExtent(index, count)),
        MarkerFill = color,
        MarkerStroke = OxyColors.White,
        MarkerStrokeThickness = 1.2,
        XAxisKey = IterationAxisKey,
        YAxisKey = ValueAxisKey,
    };

    private static IEnumerable<DataPoint> FinitePoints(TrendSeries data, double scale)
    {
        for (var i = 0; i < data.Iterations.Count; i++)
        {
            if (double.IsFinite(data.Values[i]))
            {
                yield return new DataPoint(data.Iterations[i], data.Values[i] * scale);
            }
        }
    }

    private static void AddAxes(PlotModel model, IEnumerable<DataPoint> points, string valueTitle, (double Min, double Max)? fixedRange)
    {
        var list = points.ToList();
        var xMin = list.Min(p => p.X);
        var xMax = list.Max(p => p.X);
        var xSpan = xMax - xMin;
        var xPad = Math.Max(xSpan * 0.08, 1);
        var x = new IterationAxis(list.Select(p => p.X))
        {
            Key = IterationAxisKey,
            Position = AxisPosition.Bottom,
            Title = IterationAxisTitle,
            Minimum = xMin - xPad,
            Maximum = xMax + xPad,
            StringFormat = "0",
            MinimumMajorStep = 1,
            MinimumMinorStep = 1,
            TickStyle = TickStyle.Outside,
        };
        ChartTheme.StyleAxis(x);
        ChartTheme.AddGrid(x);

        var y = new LinearAxis
        {
            Key = ValueAxisKey,
            Position = AxisPosition.Left,
            Title = valueTitle,
            StringFormat = "G4",
            MinimumPadding = 0.1,
            MaximumPadding = 0.1,
            TickStyle = TickStyle.Outside,
        };
        if (fixedRange is { } range)
        {
            y.Minimum = range.Min;
            y.Maximum = range.Max;
        }
        else
        {
            var yMin = list.Min(p => p.Y);
            var yMax = list.Max(p => p.Y);
            if (yMax - yMin < 1e-12 * Math.Max(1, Math.Abs(yMax)))
            {
                // A flat line: give the axis a visible span around the value.
                var pad = Math.Max(Math.Abs(yMax) * 0.05, 1e-3);
                y.Minimum = yMin - pad;
                y.Maximum = yMax + pad;
            }
        }

        ChartTheme.StyleAxis(y);
        ChartTheme.AddGrid(y);
        model.Axes.Add(x);
        model.Axes.Add(y);
    }

    /// <summary>An invisible 0..1 axis, so that an empty panel keeps the keys and titles of the others.</summary>
    private static LinearAxis HiddenAxis(string key, AxisPosition position, string title) => new()
    {
        Key = key,
        Position = position,
        Title = title,
        Minimum = 0,
        Maximum = 1,
        IsAxisVisible = false,
    };

    private static PlotModel NoDataPanel(PlotModel model, string valueTitle)
    {
        model.Axes.Add(HiddenAxis(IterationAxisKey, AxisPosition.Bottom, IterationAxisTitle));
        model.Axes.Add(HiddenAxis(ValueAxisKey, AxisPosition.Left, valueTitle));
        model.PlotAreaBackground = ChartTheme.NoDataBackground;

        // Roughly the margins axes take in the other panels, so the empty panel lines up with its neighbours.
        model.PlotMargins = new OxyThickness(62, 0, 0, 42);
        model.Annotations.Add(ChartTheme.NoDataAnnotation(new DataPoint(0.5, 0.5), IterationAxisKey, ValueAxisKey));
        return model;
    }

    private static List<int> AllIterations(DatasetTrend trend) =>
        trend.Metrics.Values
            .SelectMany(m => m.Values)
            .Append(trend.Accuracy ?? TrendSeries.Empty)
            .SelectMany(s => s.Iterations)
            .Distinct()
            .Order()
            .ToList();
}
