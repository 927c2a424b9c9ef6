using OrzDynamic.Plotting.Charts;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace OrzDynamic.Plotting.Rendering;

/// <summary>
/// Renders composed charts (several OxyPlot panels in a grid plus title, shared legend and footer) onto one
/// SkiaSharp canvas and encodes them as PNG. OxyPlot has no subplot grid, so each panel is rendered by
/// <see cref="SkiaRenderContext"/> into its own cell rectangle of the shared canvas.
/// </summary>
public static class ChartRenderer
{
    /// <summary>Largest accepted image side in pixels.</summary>
    public const int MaxSide = 16_384;

    private const string FontFamily = "DejaVu Sans";
    private const float Margin = 14;
    private const float TitleSize = 24;
    private const float SubtitleSize = 15;
    private const float LegendSize = 15;
    private const float FooterSize = 14;

    private static readonly SKColor Background = SKColors.White;
    private static readonly SKColor TextColor = SKColor.Parse("#2c3e50");
    private static readonly SKColor MutedColor = SKColor.Parse("#566573");
    private static readonly SKColor RuleColor = SKColor.Parse("#d5d8dc");

    /// <summary>Renders <paramref name="chart"/> and writes it as PNG to <paramref name="path"/> (directories are created).</summary>
    /// <param name="chart">The chart.</param>
    /// <param name="path">Output file path.</param>
    /// <param name="width">Image width in pixels; <c>null</c> for <see cref="ChartComposition.PreferredWidth"/>.</param>
    /// <param name="height">Image height in pixels; <c>null</c> for <see cref="ChartComposition.PreferredHeight"/>.</param>
    public static void SavePng(ChartComposition chart, string path, int? width = null, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        SavePng(chart.Panels, chart.Layout, path, width ?? chart.PreferredWidth, height ?? chart.PreferredHeight);
    }

    /// <summary>Renders <paramref name="panels"/> in <paramref name="layout"/> and writes a PNG file (directories are created).</summary>
    /// <param name="panels">Panels in row-major order.</param>
    /// <param name="layout">Grid, title, legend and footer.</param>
    /// <param name="path">Output file path.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">Bad size, empty path, or more panels than grid cells.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SavePng(IReadOnlyList<PlotModel> panels, ChartLayout layout, string path, int width, int height)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);

        // Render and encode fully before touching the file system, so a failure never leaves a partial file.
        using var png = EncodePng(panels, layout, width, height);
        var directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var temporary = full + ".tmp";
        using (var stream = File.Create(temporary))
        {
            png.SaveTo(stream);
        }

        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>Renders <paramref name="panels"/> in <paramref name="layout"/> and writes PNG bytes to <paramref name="stream"/>.</summary>
    /// <param name="panels">Panels in row-major order.</param>
    /// <param name="layout">Grid, title, legend and footer.</param>
    /// <param name="stream">Writable output stream (left open).</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void WritePng(IReadOnlyList<PlotModel> panels, ChartLayout layout, Stream stream, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var png = EncodePng(panels, layout, width, height);
        png.SaveTo(stream);
    }

    /// <summary>Renders <paramref name="panels"/> in <paramref name="layout"/> into a new bitmap (the caller disposes it).</summary>
    /// <param name="panels">Panels in row-major order.</param>
    /// <param name="layout">Grid, title, legend and footer.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <returns>The rendered bitmap.</returns>
    public static SKBitmap Render(IReadOnlyList<PlotModel> panels, ChartLayout layout, int width, int height)
    {
        Validate(panels, layout, width, height);

        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        try
        {
            using var canvas = new SKCanvas(bitmap);
            canvas.Clear(Background);
            using var typeface = ResolveTypeface(SKFontStyle.Normal);
            using var boldTypeface = ResolveTypeface(SKFontStyle.Bold);

            var top = DrawHeader(canvas, layout, width, typeface, boldTypeface);
            var bottom = DrawFooter(canvas, layout, width, height, typeface);
            DrawPanels(canvas, panels, layout, new SKRect(Margin / 2, top, width - (Margin / 2), bottom));
            canvas.Flush();
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    private static SKData EncodePng(IReadOnlyList<PlotModel> panels, ChartLayout layout, int width, int height)
    {
        using var bitmap = Render(panels, layout, width, height);
        return bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException("SkiaSharp failed to encode the chart as PNG.");
    }

    private static void Validate(IReadOnlyList<PlotModel> panels, ChartLayout layout, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(layout);
        if (width <= 0 || width > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(width), width, $"Width must be in 1..{MaxSide} pixels.");
        }

        if (height <= 0 || height > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(height), height, $"Height must be in 1..{MaxSide} pixels.");
        }

        if (layout.Rows < 1 || layout.Columns < 1)
        {
            throw new ArgumentException($"Layout needs at least one row and column (got {layout.Rows}×{layout.Columns}).", nameof(layout));
        }

        if (panels.Count > layout.Cells)
        {
            throw new ArgumentException(
                $"{panels.Count} panels do not fit a {layout.Rows}×{layout.Columns} grid.", nameof(panels));
        }

        for (var i = 0; i < panels.Count; i++)
        {
            if (panels[i] is null)
            {
                throw new ArgumentException($"Panel {i} is null.", nameof(panels));
            }
        }
    }

    private static SKTypeface ResolveTypeface(SKFontStyle style) =>
        SKTypeface.FromFamilyName(FontFamily, style) ?? SKTypeface.FromFamilyName(null, style) ?? SKTypeface.Default;

    private static float DrawHeader(SKCanvas canvas, ChartLayout layout, int width, SKTypeface regular, SKTypeface bold)
    {
        var y = Margin;
        var centre = width / 2f;
        using var paint = new SKPaint { IsAntialias = true, TextAlign = SKTextAlign.Center };

        // One centred header line: its baseline one text size down, then 8 px of space.
        void Line(string? text, SKTypeface typeface, float size, SKColor color)
        {
            if (string.IsNullOrEmpty(text)) return;
            paint.Typeface = typeface;
            paint.TextSize = size;
            paint.Color = color;
            y += size;
            canvas.DrawText(text, centre, y, paint);
            y += 8;
        }

        Line(layout.Title, bold, TitleSize, TextColor);
        Line(layout.Subtitle, regular, SubtitleSize, MutedColor);

        if (layout.Legend is { Count: > 0 } legend)
        {
            // Entries wrap onto further lines when they do not fit the image width.
            foreach (var line in WrapLegend(legend, width - (4 * Margin), regular))
            {
                y += 6;
                DrawLegend(canvas, line, centre, y, regular);
                y += LegendSize + 10;
            }
        }

        if (!string.IsNullOrEmpty(layout.LegendNote))
        {
            paint.Typeface = regular;
            paint.TextSize = NoteSize;
            paint.Color = MutedColor;
            y += NoteSize + 2;
            canvas.DrawText(layout.LegendNote, centre, y, paint);
            y += 8;
        }

        return y + 4;
    }

    private const float LegendSwatch = 16, LegendLineSample = 34, LegendSwatchGap = 7, LegendEntryGap = 30, NoteSize = 13;

    private static float SampleWidth(LegendEntry entry) => entry.IsLineSample ? LegendLineSample : LegendSwatch;

    private static List<IReadOnlyList<LegendEntry>> WrapLegend(IReadOnlyList<LegendEntry> legend, float maxWidth, SKTypeface typeface)
    {
        using var text = new SKPaint { Typeface = typeface, TextSize = LegendSize };
        var lines = new List<IReadOnlyList<LegendEntry>>();
        var current = new List<LegendEntry>();
        float used = 0;
        foreach (var entry in legend)
        {
            var w = SampleWidth(entry) + LegendSwatchGap + text.MeasureText(entry.Label);
            if (current.Count > 0 && used + LegendEntryGap + w > maxWidth)
            {
                lines.Add(current);
                current = [];
                used = 0;
            }

            used += (current.Count > 0 ? LegendEntryGap : 0) + w;
            current.Add(entry);
        }

        lines.Add(current);
        return lines;
    }

    private static void DrawLegend(SKCanvas canvas, IReadOnlyList<LegendEntry> legend, float centre, float top, SKTypeface typeface)
    {
        using var text = new SKPaint { IsAntialias = true, Typeface = typeface, TextSize = LegendSize, Color = TextColor, TextAlign = SKTextAlign.Left };
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };

        var widths = legend.Select(e => SampleWidth(e) + LegendSwatchGap + text.MeasureText(e.Label)).ToArray();
        var total = widths.Sum() + (LegendEntryGap * (legend.Count - 1));
        var x = centre - (total / 2);
        for (var i = 0; i < legend.Count; i++)
        {
            var entry = legend[i];
            var c = entry.Color;
            fill.Color = new SKColor(c.R, c.G, c.B, c.A);
            if (entry.IsLineSample)
            {
                LegendSample.Draw(canvas, entry, new SKRect(x, top, x + LegendLineSample, top + LegendSwatch));
            }
            else
            {
                canvas.DrawRoundRect(new SKRect(x, top, x + LegendSwatch, top + LegendSwatch), 3, 3, fill);
            }

            canvas.DrawText(entry.Label, x + SampleWidth(entry) + LegendSwatchGap, top + LegendSwatch - 3, text);
            x += widths[i] + LegendEntryGap;
        }
    }

    private static float DrawFooter(SKCanvas canvas, ChartLayout layout, int width, int height, SKTypeface typeface)
    {
        if (string.IsNullOrEmpty(layout.Footer))
        {
            return height - (Margin / 2);
        }

        var top = height - Margin - FooterSize - 12;
        using var rule = new SKPaint { Color = RuleColor, StrokeWidth = 1, IsAntialias = false };
        canvas.DrawLine(Margin * 2, top, width - (Margin * 2), top, rule);
        using var paint = new SKPaint
        {
            IsAntialias = true,
            Typeface = typeface,
            TextSize = FooterSize,
            Color = MutedColor,
            TextAlign = SKTextAlign.Center,
        };
        canvas.DrawText(layout.Footer, width / 2f, height - Margin - 2, paint);
        return top - 4;
    }

    private static void DrawPanels(SKCanvas canvas, IReadOnlyList<PlotModel> panels, ChartLayout layout, SKRect area)
    {
        if (panels.Count == 0 || area.Height <= 1 || area.Width <= 1)
        {
            return;
        }

        var cellWidth = area.Width / layout.Columns;
        var cellHeight = area.Height / layout.Rows;
        using var context = new SkiaRenderContext
        {
            RenderTarget = RenderTarget.PixelGraphic,
            SkCanvas = canvas,
            UseTextShaping = true,
        };

        for (var i = 0; i < panels.Count; i++)
        {
            var row = i / layout.Columns;
            var column = i % layout.Columns;
            var cell = new OxyRect(area.Left + (column * cellWidth), area.Top + (row * cellHeight), cellWidth, cellHeight);
            IPlotModel model = panels[i];
            model.Update(true);
            canvas.Save();
            canvas.ClipRect(new SKRect((float)cell.Left, (float)cell.Top, (float)cell.Right, (float)cell.Bottom));
            model.Render(context, cell);
            canvas.Restore();
            if (panels[i].GetLastPlotException() is { } error)
            {
                throw new InvalidOperationException(
                    $"OxyPlot failed to render panel {i} ('{panels[i].Title}'): {error.Message}", error);
            }
        }
    }
}
