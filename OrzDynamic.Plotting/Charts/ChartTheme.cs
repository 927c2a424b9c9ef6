namespace OrzDynamic.Plotting.Charts;

/// <summary>Shared look of all panels (fonts, greys, sizes).</summary>
internal static class ChartTheme
{
    public const string Font = "DejaVu Sans";
    public const double PanelTitleSize = 16;
    public const double AxisTitleSize = 13;
    public const double TickSize = 12;
    public const double ValueLabelSize = 12;

    public static readonly OxyColor Text = OxyColor.Parse("#2c3e50");
    public static readonly OxyColor MutedText = OxyColor.Parse("#7f8c8d");
    public static readonly OxyColor Border = OxyColor.Parse("#bdc3c7");
    public static readonly OxyColor Grid = OxyColor.Parse("#e5e8ea");
    public static readonly OxyColor AccuracyLine = ChartPalette.ReddishPurple;
    public static readonly OxyColor NoDataBackground = OxyColor.Parse("#f7f9f9");

    public const string NoDataText = "No Data";

    public static TextAnnotation NoDataAnnotation(DataPoint at, string xAxisKey, string yAxisKey) => new()
    {
        Text = NoDataText,
        TextPosition = at,
        TextHorizontalAlignment = HorizontalAlignment.Center,
        TextVerticalAlignment = VerticalAlignment.Middle,
        FontSize = 18,
        FontWeight = FontWeights.Bold,
        TextColor = MutedText,
        Stroke = OxyColors.Transparent,
        StrokeThickness = 0,
        XAxisKey = xAxisKey,
        YAxisKey = yAxisKey,
    };

    /// <summary>The shared legend of a chart: one entry per stratum drawn, in order, in the stratum's colour.</summary>
    public static IReadOnlyList<LegendEntry> Legend(IEnumerable<Stratum> strata) =>
        strata.Select(s => new LegendEntry(s.DisplayName(), s.Color())).ToList();

    public static PlotModel NewPanel(string title) => new()
    {
        Title = title,
        TitleFontSize = PanelTitleSize,
        TitleFontWeight = FontWeights.Bold,
        TitleColor = Text,
        DefaultFont = Font,
        DefaultFontSize = TickSize,
        TextColor = Text,
        PlotAreaBorderColor = Border,
        PlotAreaBorderThickness = new OxyThickness(1),
        Background = OxyColors.White,
        IsLegendVisible = false,
        Padding = new OxyThickness(10, 6, 14, 8),
    };

    /// <summary>Gap between an axis title and the tick labels, in pixels. OxyPlot places the title's measured box
    /// against the labels' box; glyph ink (descenders, underscores) reaches that box's edge, so a gap is needed.</summary>
    public const double AxisTitleGap = 8;

    public static void StyleAxis(Axis axis)
    {
        axis.AxisTitleDistance = AxisTitleGap;
        axis.TitleFontSize = AxisTitleSize;
        axis.FontSize = TickSize;
        axis.TextColor = Text;
        axis.TitleColor = Text;
        axis.TicklineColor = Border;
        axis.AxislineColor = Border;
        axis.IsZoomEnabled = false;
        axis.IsPanEnabled = false;
    }

    public static void AddGrid(Axis axis)
    {
        axis.MajorGridlineStyle = LineStyle.Solid;
        axis.MajorGridlineColor = Grid;
        axis.MinorGridlineStyle = LineStyle.None;
    }

    /// <summary>
    /// A borderless value label of <see cref="ValueLabelSize"/>, centred horizontally on <paramref name="position"/> and
    /// moved <paramref name="offsetY"/> pixels vertically: above the point when negative, hanging below it when positive.
    /// </summary>
    public static TextAnnotation ValueLabel(string text, DataPoint position, double offsetY, OxyColor color, string xAxisKey, string yAxisKey) => new()
    {
        Text = text,
        TextPosition = position,
        TextHorizontalAlignment = HorizontalAlignment.Center,
        TextVerticalAlignment = offsetY > 0 ? VerticalAlignment.Top : VerticalAlignment.Bottom,
        Offset = new ScreenVector(0, offsetY),
        FontSize = ValueLabelSize,
        TextColor = color,
        Stroke = OxyColors.Transparent,
        StrokeThickness = 0,
        XAxisKey = xAxisKey,
        YAxisKey = yAxisKey,
    };

    /// <summary>Darker shade of <paramref name="c"/> for outlines and error bars.</summary>
    public static OxyColor Darken(OxyColor c, double factor = 0.7) =>
        OxyColor.FromRgb((byte)(c.R * factor), (byte)(c.G * factor), (byte)(c.B * factor));
}
