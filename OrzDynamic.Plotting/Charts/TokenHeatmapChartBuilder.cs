using System.Text;

namespace OrzDynamic.Plotting.Charts;

/// <summary>
/// Builds the per-token heatmap of a fixed response: the top panel has one row per checkpoint and one column per
/// response token coloured by log p(token) (viridis), with the token text on the x axis; the bottom panel shows the
/// change from the first checkpoint (blue = less likely, red = more likely, white = unchanged). Answers longer than
/// <see cref="MaxColumns"/> tokens are elided in the middle (a grey "…" column marks the cut).
/// </summary>
public static class TokenHeatmapChartBuilder
{
    /// <summary>Most token columns drawn; longer answers keep their head and tail.</summary>
    public const int MaxColumns = 120;

    /// <summary>Longest token label on the axis (longer ones end in "…").</summary>
    public const int MaxLabelLength = 10;

    /// <summary>Label of the elision column.</summary>
    public const string GapLabel = "…";

    private const int ColumnWidth = 28;
    private const int RowHeight = 40;

    /// <summary>Builds the chart.</summary>
    /// <exception cref="ArgumentException">No checkpoint or no token.</exception>
    public static ChartComposition Build(TokenHeatmap heatmap)
    {
        ArgumentNullException.ThrowIfNull(heatmap);
        if (heatmap.Checkpoints.Count == 0 || heatmap.Tokens.Count == 0)
            throw new ArgumentException($"Heatmap '{heatmap.Key}' has no checkpoint or no token.", nameof(heatmap));
        var columns = Columns(heatmap.Tokens.Count);
        var labels = columns.Select(c => c < 0 ? GapLabel : TokenLabel(heatmap.Tokens[c])).ToArray();
        var logp = Matrix(heatmap.LogProbs, columns);
        var delta = Matrix(heatmap.DeltaFromFirst, columns);
        var finite = logp.Cast<double>().Where(double.IsFinite).ToArray();
        double low = finite.Length == 0 ? -1 : Math.Min(finite.Min(), -1e-3), high = 0;
        double span = delta.Cast<double>().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
        span = Math.Max(span, 1e-3);

        var first = heatmap.Checkpoints[0];
        var top = Panel("log p(token)", heatmap.Checkpoints, labels, logp, new LinearColorAxis
        {
            Palette = OxyPalettes.Viridis(256), Minimum = low, Maximum = high, Title = "log p",
        });
        var bottom = Panel($"Change of log p(token) from {first}", heatmap.Checkpoints, labels, delta, new LinearColorAxis
        {
            Palette = OxyPalettes.BlueWhiteRed(255), Minimum = -span, Maximum = span, Title = "Δ log p",
        });
        var elided = columns.Contains(-1);
        var subtitle = string.Create(CultureInfo.InvariantCulture,
            $"{heatmap.Tokens.Count} response tokens × {heatmap.Checkpoints.Count} checkpoints ({string.Join(", ", heatmap.Checkpoints)})")
            + (elided ? string.Create(CultureInfo.InvariantCulture, $"; middle elided, {columns.Count(c => c >= 0)} tokens shown") : "");
        var layout = new ChartLayout(2, 1, heatmap.Title, subtitle);
        int width = Math.Clamp(260 + (ColumnWidth * columns.Length), 1000, 16_000);
        int panelHeight = 150 + (RowHeight * heatmap.Checkpoints.Count);
        return new ChartComposition(layout, [top, bottom], width, 100 + (2 * panelHeight));
    }

    /// <summary>Display form of a token: spaces as '·', line breaks as '⏎', tabs as '⇥', at most <see cref="MaxLabelLength"/> characters.</summary>
    public static string TokenLabel(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var sb = new StringBuilder(token.Length);
        foreach (var ch in token)
            sb.Append(ch switch { ' ' => '·', '\n' => '⏎', '\r' => '␍', '\t' => '⇥', _ when char.IsControl(ch) => '¤', _ => ch });
        var s = sb.Length == 0 ? "∅" : sb.ToString();
        return s.Length > MaxLabelLength ? s[..(MaxLabelLength - 1)] + "…" : s;
    }

    /// <summary>Token indices drawn per column (−1 = the elision gap).</summary>
    internal static int[] Columns(int tokens)
    {
        if (tokens <= MaxColumns) return Enumerable.Range(0, tokens).ToArray();
        int head = (MaxColumns - 1) / 2, tail = MaxColumns - 1 - head;
        return [.. Enumerable.Range(0, head), -1, .. Enumerable.Range(tokens - tail, tail)];
    }

    private static double[,] Matrix(IReadOnlyList<IReadOnlyList<double>> rows, int[] columns)
    {
        var m = new double[columns.Length, rows.Count];
        for (int c = 0; c < columns.Length; c++)
            for (int r = 0; r < rows.Count; r++)
                m[c, r] = columns[c] < 0 || columns[c] >= rows[r].Count ? double.NaN : rows[r][columns[c]];
        return m;
    }

    private static PlotModel Panel(string title, IReadOnlyList<string> checkpoints, string[] tokens, double[,] data, LinearColorAxis color)
    {
        var model = ChartTheme.NewPanel(title);
        model.PlotAreaBorderThickness = new OxyThickness(1);
        color.Key = "color";
        color.Position = AxisPosition.Right;
        color.InvalidNumberColor = OxyColor.Parse("#d5d8dc");
        color.HighColor = color.Palette.Colors[^1];
        color.LowColor = color.Palette.Colors[0];
        ChartTheme.StyleAxis(color);
        var x = new CategoryAxis
        {
            Key = "tokens",
            Position = AxisPosition.Bottom,
            Angle = -90,
            GapWidth = 0,
            IsTickCentered = false,
            MajorTickSize = 3,
            Title = "response token",
        };
        x.Labels.AddRange(tokens);
        var y = new CategoryAxis
        {
            Key = "checkpoints",
            Position = AxisPosition.Left,
            GapWidth = 0,
            StartPosition = 1,
            EndPosition = 0,
        };
        y.Labels.AddRange(checkpoints);
        foreach (var axis in new Axis[] { x, y })
        {
            ChartTheme.StyleAxis(axis);
            model.Axes.Add(axis);
        }
        x.FontSize = 11;
        model.Axes.Add(color);
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0,
            X1 = tokens.Length - 1,
            Y0 = 0,
            Y1 = checkpoints.Count - 1,
            Data = data,
            CoordinateDefinition = HeatMapCoordinateDefinition.Center,
            RenderMethod = HeatMapRenderMethod.Rectangles,
            Interpolate = false,
            XAxisKey = "tokens",
            YAxisKey = "checkpoints",
            ColorAxisKey = "color",
        });
        return model;
    }
}
