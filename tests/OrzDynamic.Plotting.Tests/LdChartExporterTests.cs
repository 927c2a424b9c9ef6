using OrzDynamic.Plotting.Charts;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Plotting.Export;

namespace OrzDynamic.Plotting.Tests;

public class LdChartExporterTests
{
    private string dir = string.Empty;

    [SetUp]
    public void SetUp() => this.dir = Path.Combine(Path.GetTempPath(), "orz-plot-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(this.dir))
        {
            Directory.Delete(this.dir, recursive: true);
        }
    }

    [Test]
    public void WritesStableChartNames_AndTrendsCsv_RemovesLegacyTimestampedCharts()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2025, 11, 3, 14, 7, 9, TimeSpan.Zero));
        var exporter = new LdChartExporter(this.dir, clock);
        var data = new TrendDataBuilder()
            .Add(0, SampleData.Comparison("gsm8k"))
            .Add(45, SampleData.Comparison("gsm8k"))
            .Add(0, SampleData.Comparison("math/500", withRandom: false))
            .Build();
        var reported = new List<string>();
        Directory.CreateDirectory(this.dir);
        var legacy = Path.Combine(this.dir, "ld_comparison_gsm8k_20240101_000000.png");
        var unrelated = Path.Combine(this.dir, "ld_comparison_gsm8k_notes.png");
        File.WriteAllText(legacy, "old");
        File.WriteAllText(unrelated, "keep");

        var comparison = exporter.SaveComparison(SampleData.Comparison("gsm8k"));
        var written = exporter.SaveTrends(data, new SyncProgress(reported));

        Assert.That(Path.GetFileName(comparison), Is.EqualTo("ld_comparison_gsm8k.png"));
        Assert.That(written.Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "trends.csv", "ld_trends_gsm8k.png", "ld_trends_math_500.png",
        }));
        Assert.That(File.Exists(legacy), Is.False, "the timestamped chart of an earlier version is replaced");
        Assert.That(File.Exists(unrelated), Is.True);
        var again = new LdChartExporter(this.dir, clock).SaveComparison(SampleData.Comparison("gsm8k"));
        Assert.That(again, Is.EqualTo(comparison));
        Assert.That(Directory.GetFiles(this.dir, "*.png"), Has.Length.EqualTo(4), "a rerun replaces, never adds");
        Assert.That(reported, Is.EqualTo(written));
        using (PngAssert.DecodesWithSize(comparison, ComparisonChartBuilder.DefaultWidth, ComparisonChartBuilder.DefaultHeight))
        {
        }

        using (PngAssert.DecodesWithSize(written[1], TrendsChartBuilder.DefaultWidth, TrendsChartBuilder.DefaultHeight))
        {
        }

        Assert.That(File.ReadLines(written[0]).First(), Is.EqualTo("dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change"));
    }

    [Test]
    public void Cancellation_StopsBeforeWriting()
    {
        var exporter = new LdChartExporter(this.dir, new FixedTimeProvider(DateTimeOffset.UnixEpoch));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.That(() => exporter.SaveTrends(new TrendData([SampleData.Trend()]), cancellationToken: cts.Token),
            Throws.InstanceOf<OperationCanceledException>());
        Assert.That(Directory.Exists(this.dir) ? Directory.GetFiles(this.dir, "*.png") : [], Is.Empty);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private sealed class SyncProgress(List<string> sink) : IProgress<string>
    {
        public void Report(string value) => sink.Add(value);
    }
}
