using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Rendering;
using SkiaSharp;

namespace OrzDynamic.Plotting.Tests;

public class ChartRendererTests
{
    private string dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        this.dir = Path.Combine(Path.GetTempPath(), "orz-plot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(this.dir);
    }

    [TearDown]
    public void TearDown()
    {
        if (Environment.GetEnvironmentVariable("ORZ_KEEP_TEST_PNG") is null && Directory.Exists(this.dir))
        {
            Directory.Delete(this.dir, recursive: true);
        }
        else
        {
            TestContext.Out.WriteLine($"PNG kept in {this.dir}");
        }
    }

    [Test]
    public void ComparisonPng_HasRequestedSize_AndIsNotBlank()
    {
        var chart = ComparisonChartBuilder.Build(SampleData.Comparison());
        var path = Path.Combine(this.dir, "comparison.png");

        ChartRenderer.SavePng(chart, path);

        using var bitmap = SKBitmap.Decode(path);
        Assert.That(bitmap, Is.Not.Null, "PNG does not decode");
        Assert.That(bitmap.Width, Is.EqualTo(chart.PreferredWidth));
        Assert.That(bitmap.Height, Is.EqualTo(chart.PreferredHeight));
    }

    [Test]
    public void TrendsPng_HasRequestedSize_AndIsNotBlank()
    {
        var chart = TrendsChartBuilder.Build(SampleData.Trend());
        var path = Path.Combine(this.dir, "trends.png");

        ChartRenderer.SavePng(chart, path);

        using var bitmap = SKBitmap.Decode(path);
        Assert.That(bitmap, Is.Not.Null, "PNG does not decode");
        Assert.That(bitmap.Width, Is.EqualTo(chart.PreferredWidth));
    }
}
