using OrzDynamic.Plotting.Charts;
using SkiaSharp;

namespace OrzDynamic.Plotting.Rendering;

/// <summary>Draws the line sample of a legend entry: a short stretch of the line in its width and dash style, with
/// its marker in the middle, as the panels draw it.</summary>
internal static class LegendSample
{
    public static void Draw(SKCanvas canvas, LegendEntry entry, SKRect box)
    {
        var colour = new SKColor(entry.Color.R, entry.Color.G, entry.Color.B, entry.Color.A);
        var midY = box.MidY;
        if (entry.LineStyle is not LineStyle.None and not LineStyle.Automatic)
        {
            using var stroke = new SKPaint
            {
                IsAntialias = true,
                Style = SKPaintStyle.Stroke,
                StrokeWidth = (float)entry.LineThickness,
                Color = colour,
                StrokeCap = SKStrokeCap.Butt,
            };
            if (entry.LineStyle.GetDashArray() is { Length: > 0 } dashes)
            {
                using var effect = SKPathEffect.CreateDash(dashes.Select(d => (float)(d * entry.LineThickness)).ToArray(), 0);
                stroke.PathEffect = effect;
                canvas.DrawLine(box.Left, midY, box.Right, midY, stroke);
            }
            else
            {
                canvas.DrawLine(box.Left, midY, box.Right, midY, stroke);
            }
        }

        if (entry.Marker == MarkerType.None)
        {
            return;
        }

        using var path = MarkerPath(entry.Marker, box.MidX, midY, (float)entry.MarkerSize);
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = colour };
        using var rim = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f, Color = SKColors.White };
        canvas.DrawPath(path, fill);
        canvas.DrawPath(path, rim);
    }

    /// <summary>The outline of an OxyPlot marker of size <paramref name="size"/> centred on (x, y), with OxyPlot's
    /// geometry (circle radius = size, square half-side = size, diamond tip = size·√(4/3)).</summary>
    private static SKPath MarkerPath(MarkerType marker, float x, float y, float size)
    {
        var path = new SKPath();
        var tip = size * (float)Math.Sqrt(4.0 / 3.0);
        switch (marker)
        {
            case MarkerType.Square:
                path.AddRect(new SKRect(x - size, y - size, x + size, y + size));
                break;
            case MarkerType.Diamond:
                path.AddPoly([new SKPoint(x, y - tip), new SKPoint(x + tip, y), new SKPoint(x, y + tip), new SKPoint(x - tip, y)]);
                break;
            case MarkerType.Triangle:
                var low = size * (float)Math.Tan(Math.PI / 6);
                path.AddPoly([new SKPoint(x - size, y + low), new SKPoint(x + size, y + low), new SKPoint(x, y - tip)]);
                break;
            default:
                path.AddCircle(x, y, size);
                break;
        }

        return path;
    }
}
