namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// Builds the per-dataset stratum comparison chart (<c>ld_comparison_&lt;dataset&gt;.png</c>) as
/// pure data: one small panel per metric, each with its own y axis and one bar per stratum (mean, with a ±std error
/// bar and a value label at the bar end). Panels are needed because the metrics live on very different scales (out_token ≈ −300,
/// prob_energy ∈ [0, 1]); a shared axis would flatten most bars to nothing.
/// </summary>
public static class ComparisonChartBuilder
{
    /// <summary>Recommended image width in pixels (five panels side by side).</summary>
    public const int DefaultWidth = 1900;

    /// <summary>Recommended image height in pixels.</summary>
    public const int DefaultHeight = 660;

    /// <summary>Key of the category (x) axis of each panel.</summary>
    public const string CategoryAxisKey = "strata";

    /// <summary>Key of the value (y) axis of each panel.</summary>
    public const string ValueAxisKey = "value";

    /// <summary>Text of the centred annotation of a panel in which no stratum has a mean.</summary>
    public const string NoDataText = "No Data";

    /// <summary>Title of the value axis of each panel.</summary>
    public const string ValueAxisTitle = "mean ± std";

    /// <summary>Colour of bar outlines and error bars.</summary>
    public static readonly OxyColor ErrorBarColor = OxyColor.Parse("#34495e");

    /// <summary>Builds the full comparison chart of one dataset.</summary>
    /// <param name="comparison">The per-stratum aggregates.</param>
    /// <param name="metrics">Metrics to show, one panel each, in order; <c>null</c> for <see cref="LdMetricKeys.Charted"/>.</param>
    /// <returns>Panels (one per metric, in a single row) and layout (title, shared legend, counts footer).</returns>
    /// <exception cref="PlotDataException">The comparison is invalid (negative count or std, empty dataset name…).</exception>
    public static ChartComposition Build(DatasetComparison comparison, IReadOnlyList<string>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        comparison.Validate();
        metrics ??= LdMetricKeys.Charted;
        if (metrics.Count == 0)
        {
            throw new ArgumentException("At least one metric is required.", nameof(metrics));
        }

        var strata = StrataToShow(comparison);
        var panels = metrics.Select(m => BuildPanel(comparison, m, strata)).ToList();

        var subtitle = comparison.Checkpoint is { Length: > 0 } checkpoint
            ? $"Checkpoint {checkpoint} · per-answer metrics by stratum, mean ± std"
            : "Per-answer metrics by stratum, mean ± std";
        var layout = new ChartLayout(
            Rows: 1,
            Columns: panels.Count,
            Title: $"Learning dynamics — {comparison.Dataset}",
            Subtitle: subtitle,
            Legend: ChartTheme.Legend(strata),
            Footer: FormatFooter(comparison));
        var width = Math.Max(DefaultWidth * panels.Count / LdMetricKeys.Charted.Count, 700);
        return new ChartComposition(layout, panels, width, DefaultHeight);
    }

    /// <summary>
    /// Strata drawn for <paramref name="comparison"/>: Correct and Incorrect always, Random tokens only when
    /// <see cref="DatasetComparison.HasRandom"/>.
    /// </summary>
    /// <param name="comparison">The comparison.</param>
    /// <returns>The strata in plotting order.</returns>
    public static IReadOnlyList<Stratum> StrataToShow(DatasetComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return comparison.HasRandom
            ? [Stratum.Correct, Stratum.Incorrect, Stratum.Random]
            : [Stratum.Correct, Stratum.Incorrect];
    }

    /// <summary>
    /// Footer text with the three answer counts and the implied accuracy, e.g.
    /// "Correct: n = 120  ·  Incorrect: n = 80  ·  Random tokens: n = 50  ·  Accuracy: 60.0%".
    /// </summary>
    /// <param name="comparison">The comparison.</param>
    /// <returns>The footer text.</returns>
    public static string FormatFooter(DatasetComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var parts = Strata.Values
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.DisplayName()}: n = {comparison.CountOf(s)}"))
            .ToList();
        var accuracy = comparison.Accuracy;
        parts.Add(double.IsNaN(accuracy)
            ? "Accuracy: n/a"
            : string.Create(CultureInfo.InvariantCulture, $"Accuracy: {accuracy * 100:0.0}%"));
        return string.Join("   ·   ", parts);
    }

    /// <summary>Builds the panel of one metric: a single <see cref="BarSeries"/> with one item per stratum
    /// (category index = position in <paramref name="strata"/>, bar = mean, colour = stratum colour), a
    /// <see cref="LineSeries"/> titled <see cref="WhiskersTitle"/> with the ± std whiskers clipped to the metric's
    /// <see cref="LdMetricDescriptor.Domain"/>,
    /// value labels at the bar ends, and "n/a" (no item) where the mean is not available.</summary>
    /// <param name="comparison">The comparison (validated by the caller or by <see cref="Build"/>).</param>
    /// <param name="metric">The metric name (panel title).</param>
    /// <param name="strata">The strata to draw, one category each.</param>
    /// <returns>The panel.</returns>
    public static PlotModel BuildPanel(DatasetComparison comparison, string metric, IReadOnlyList<Stratum> strata)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        ArgumentNullException.ThrowIfNull(strata);

        var model = ChartTheme.NewPanel(metric);
        var stats = strata.Select(s => comparison.Get(s)?.Get(metric) ?? MetricStats.Empty).ToArray();

        var categoryAxis = new CategoryAxis
        {
            Key = CategoryAxisKey,
            Position = AxisPosition.Bottom,
            GapWidth = 0.45,
            IsTickCentered = false,
            TickStyle = TickStyle.None,
        };
        categoryAxis.Labels.AddRange(strata.Select(s => s.DisplayName()));
        ChartTheme.StyleAxis(categoryAxis);

        var domain = TrendsChartBuilder.DomainOf(metric);
        var (min, max) = ValueRange(stats, domain);
        var valueAxis = new LinearAxis
        {
            Key = ValueAxisKey,
            Position = AxisPosition.Left,
            Title = ValueAxisTitle,
            Minimum = min,
            Maximum = max,
            MaximumPadding = 0,
            MinimumPadding = 0,
            StringFormat = "G4",
            TickStyle = TickStyle.Outside,
        };
        ChartTheme.StyleAxis(valueAxis);
        ChartTheme.AddGrid(valueAxis);
        model.Axes.Add(categoryAxis);
        model.Axes.Add(valueAxis);

        model.Annotations.Add(new LineAnnotation
        {
            Type = LineAnnotationType.Horizontal,
            Y = 0,
            Color = ChartTheme.MutedText,
            StrokeThickness = 1,
            LineStyle = LineStyle.Solid,
            Layer = AnnotationLayer.BelowSeries,
            XAxisKey = CategoryAxisKey,
            YAxisKey = ValueAxisKey,
        });

        // One series whose items are coloured per stratum: each bar sits centred on its own category, which a
        // series-per-stratum layout cannot do without stacking. The whiskers are a line series of their own, so that
        // they can be clipped to the metric's domain (OxyPlot's error bars are symmetric).
        var series = new BarSeries
        {
            Title = metric,
            FillColor = ChartTheme.MutedText,
            StrokeColor = ErrorBarColor,
            StrokeThickness = 1,
            BarWidth = 1,
            XAxisKey = ValueAxisKey,
            YAxisKey = CategoryAxisKey,
        };
        var whiskers = new LineSeries
        {
            Title = WhiskersTitle,
            Color = ErrorBarColor,
            StrokeThickness = 1.5,
            MarkerType = MarkerType.None,
            XAxisKey = CategoryAxisKey,
            YAxisKey = ValueAxisKey,
        };
        for (var i = 0; i < strata.Count; i++)
        {
            var s = stats[i];
            if (s.HasMean)
            {
                series.Items.Add(new BarItem(s.Mean, i) { Color = strata[i].Color() });
                if (s.HasStd && s.Std > 0)
                {
                    AddWhisker(whiskers.Points, i, s.Mean - s.Std, s.Mean + s.Std, domain);
                }
            }

            model.Annotations.Add(ValueLabel(i, s, max - min));
        }

        model.Series.Add(series);
        model.Series.Add(whiskers);

        if (series.Items.Count == 0)
        {
            // Nothing to scale: hide the meaningless 0..1 value axis and say so in the middle of the panel.
            valueAxis.IsAxisVisible = false;
            model.PlotMargins = new OxyThickness(62, double.NaN, double.NaN, double.NaN);
            model.PlotAreaBackground = ChartTheme.NoDataBackground;
            model.Annotations.Add(ChartTheme.NoDataAnnotation(
                new DataPoint((strata.Count - 1) / 2.0, 0.5), CategoryAxisKey, ValueAxisKey));
        }
        return model;
    }

    /// <summary>Title of the line series that draws the ± std whiskers of a panel.</summary>
    public const string WhiskersTitle = "± std";

    /// <summary>Half the width of a whisker cap, in category units.</summary>
    public const double CapHalfWidth = 0.1;

    /// <summary>Adds the whisker low … high at category <paramref name="category"/>, clipped to
    /// <paramref name="domain"/>: a vertical stroke with a cap at each end that was not clipped (a missing cap marks a
    /// whisker cut at the domain's bound). Segments are separated by an invalid point, where OxyPlot breaks the line.</summary>
    private static void AddWhisker(List<DataPoint> points, int category, double low, double high, MetricDomain domain)
    {
        var (lo, hi) = (domain.Clamp(low), domain.Clamp(high));
        points.Add(new DataPoint(category, lo));
        points.Add(new DataPoint(category, hi));
        points.Add(DataPoint.Undefined);
        foreach (var (end, clipped) in new[] { (lo, lo != low), (hi, hi != high) })
        {
            if (!clipped)
            {
                points.Add(new DataPoint(category - CapHalfWidth, end));
                points.Add(new DataPoint(category + CapHalfWidth, end));
                points.Add(DataPoint.Undefined);
            }
        }
    }

    /// <summary>Share of the value-axis span a bar needs for its value label to sit inside it, at its end.</summary>
    public const double InsideLabelShare = 0.08;

    /// <summary>The value label of a bar, placed at the bar's end: inside the bar when the bar is tall enough
    /// (<see cref="InsideLabelShare"/> of the axis span), else just beyond the bar's end. It has a white translucent
    /// box, so a whisker passing behind it does not strike through the text.</summary>
    private static TextAnnotation ValueLabel(int categoryIndex, MetricStats s, double axisSpan)
    {
        if (!s.HasMean)
        {
            var missing = ChartTheme.ValueLabel(ValueFormatter.NotAvailable, new DataPoint(categoryIndex, 0), -4, ChartTheme.MutedText, CategoryAxisKey, ValueAxisKey);
            missing.FontWeight = FontWeights.Normal;
            missing.Background = OxyColors.Undefined;
            return missing;
        }

        var positive = s.Mean >= 0;
        var inside = Math.Abs(s.Mean) >= InsideLabelShare * axisSpan;

        // Inside a positive bar, or beyond the end of a negative one, the label hangs below the bar end.
        var hangsDown = positive == inside;
        var label = ChartTheme.ValueLabel(ValueFormatter.Format(s.Mean), new DataPoint(categoryIndex, s.Mean), hangsDown ? 4 : -4,
            s.HasMean ? ChartTheme.Text : ChartTheme.MutedText, CategoryAxisKey, ValueAxisKey);
        label.FontWeight = s.HasMean ? FontWeights.Bold : FontWeights.Normal;
        label.Background = OxyColor.FromAColor(215, OxyColors.White);
        label.Padding = new OxyThickness(3, 1, 3, 1);
        return label;
    }

    /// <summary>Value-axis range: includes 0 and every mean ± std (clipped to <paramref name="domain"/>), with room for
    /// labels beyond the bar ends.</summary>
    internal static (double Min, double Max) ValueRange(IReadOnlyList<MetricStats> stats, MetricDomain? domain = null)
    {
        double lo = 0, hi = 0;
        bool labelAbove = false, labelBelow = false;
        foreach (var s in stats)
        {
            if (!s.HasMean)
            {
                labelAbove = true;
                continue;
            }

            var error = s.HasStd ? s.Std : 0;
            var bounds = domain ?? MetricDomain.Unbounded;
            lo = Math.Min(lo, bounds.Clamp(s.Mean - error));
            hi = Math.Max(hi, bounds.Clamp(s.Mean + error));
            if (s.Mean >= 0)
            {
                labelAbove = true;
            }
            else
            {
                labelBelow = true;
            }
        }

        var span = hi - lo;
        if (span <= 0 || !double.IsFinite(span))
        {
            return (lo == 0 && hi == 0) ? (0, 1) : (lo - 1, hi + 1);
        }

        return (lo - (labelBelow ? 0.14 : 0.04) * span, hi + (labelAbove ? 0.14 : 0.04) * span);
    }
}
