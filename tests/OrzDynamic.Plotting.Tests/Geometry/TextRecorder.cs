using OxyPlot;

namespace OrzDynamic.Plotting.Tests.Geometry;

/// <summary>A text OxyPlot drew, with its on-screen bounding box and the clipping rectangle in force (null: none).</summary>
public sealed record RecordedText(string Text, OxyRect Box, OxyRect? Clip);

/// <summary>
/// Render-context decorator (<see cref="PlotModel.RenderingDecorator"/>) that passes every call through and records
/// the bounding box of every text, from the inner context's own measurement, alignment and rotation.
/// </summary>
internal sealed class TextRecorder(IRenderContext inner) : IRenderContext
{
    private readonly Stack<OxyRect> clips = new();

    public List<RecordedText> Texts { get; } = [];

    public bool RendersToScreen => inner.RendersToScreen;

    public int ClipCount => inner.ClipCount;

    public static OxyRect BoxOf(ScreenPoint p, OxySize size, double rotation, HorizontalAlignment ha, VerticalAlignment va)
    {
        var dx = ha switch { HorizontalAlignment.Center => -size.Width / 2, HorizontalAlignment.Right => -size.Width, _ => 0 };
        var dy = va switch { VerticalAlignment.Middle => -size.Height / 2, VerticalAlignment.Bottom => -size.Height, _ => 0 };
        var angle = rotation * Math.PI / 180;
        var (cos, sin) = (Math.Cos(angle), Math.Sin(angle));
        var corners = new[] { (dx, dy), (dx + size.Width, dy), (dx, dy + size.Height), (dx + size.Width, dy + size.Height) }
            .Select(c => new ScreenPoint(p.X + (c.Item1 * cos) - (c.Item2 * sin), p.Y + (c.Item1 * sin) + (c.Item2 * cos)))
            .ToArray();
        double left = corners.Min(c => c.X), top = corners.Min(c => c.Y);
        return new OxyRect(left, top, corners.Max(c => c.X) - left, corners.Max(c => c.Y) - top);
    }

    public void DrawText(ScreenPoint p, string text, OxyColor fill, string? fontFamily = null, double fontSize = 10, double fontWeight = 400,
        double rotation = 0, HorizontalAlignment horizontalAlignment = HorizontalAlignment.Left, VerticalAlignment verticalAlignment = VerticalAlignment.Top,
        OxySize? maxSize = null)
    {
        if (!string.IsNullOrEmpty(text) && fill.IsVisible())
        {
            var size = inner.MeasureText(text, fontFamily, fontSize, fontWeight);
            this.Texts.Add(new RecordedText(text, BoxOf(p, size, rotation, horizontalAlignment, verticalAlignment), this.clips.Count == 0 ? null : this.clips.Peek()));
        }

        inner.DrawText(p, text, fill, fontFamily, fontSize, fontWeight, rotation, horizontalAlignment, verticalAlignment, maxSize);
    }

    public OxySize MeasureText(string text, string? fontFamily = null, double fontSize = 10, double fontWeight = 500) =>
        inner.MeasureText(text, fontFamily, fontSize, fontWeight);

    public void DrawEllipse(OxyRect extents, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawEllipse(extents, fill, stroke, thickness, edgeRenderingMode);

    public void DrawEllipses(IList<OxyRect> extents, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawEllipses(extents, fill, stroke, thickness, edgeRenderingMode);

    public void DrawLine(IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawLine(points, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawLineSegments(IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawLineSegments(points, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawPolygon(IList<ScreenPoint> points, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawPolygon(points, fill, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawPolygons(IList<IList<ScreenPoint>> polygons, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[]? dashArray = null, LineJoin lineJoin = LineJoin.Miter) =>
        inner.DrawPolygons(polygons, fill, stroke, thickness, edgeRenderingMode, dashArray, lineJoin);

    public void DrawRectangle(OxyRect rectangle, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawRectangle(rectangle, fill, stroke, thickness, edgeRenderingMode);

    public void DrawRectangles(IList<OxyRect> rectangles, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode) =>
        inner.DrawRectangles(rectangles, fill, stroke, thickness, edgeRenderingMode);

    public void SetToolTip(string text) => inner.SetToolTip(text);

    public void CleanUp() => inner.CleanUp();

    public void DrawImage(OxyImage source, double srcX, double srcY, double srcWidth, double srcHeight, double destX, double destY, double destWidth, double destHeight, double opacity, bool interpolate) =>
        inner.DrawImage(source, srcX, srcY, srcWidth, srcHeight, destX, destY, destWidth, destHeight, opacity, interpolate);

    public void PushClip(OxyRect clippingRectangle)
    {
        this.clips.Push(this.clips.Count == 0 ? clippingRectangle : clippingRectangle.Intersect(this.clips.Peek()));
        inner.PushClip(clippingRectangle);
    }

    public void PopClip()
    {
        this.clips.Pop();
        inner.PopClip();
    }
}
