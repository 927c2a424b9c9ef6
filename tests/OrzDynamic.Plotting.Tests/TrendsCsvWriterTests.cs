using System.Globalization;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Plotting.Export;

namespace OrzDynamic.Plotting.Tests;

public class TrendsCsvWriterTests
{
    private static string[] WriteLines(TrendData data, out int rows)
    {
        using var writer = new StringWriter();
        rows = TrendsCsvWriter.Write(data, writer);
        return writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Test]
    public void WritesHeader_OneRowPerStratumMetricIteration_PlusAccuracyRows()
    {
        var lines = WriteLines(new TrendData([SampleData.Trend()]), out var rows);

        Assert.That(lines[0], Is.EqualTo("dataset,stratum,metric,iteration,value,std,ci_low,ci_high,significant_change"));
        Assert.That(rows, Is.EqualTo((3 * 5 * 3) + 3));
        Assert.That(lines, Has.Length.EqualTo(rows + 1));
        Assert.That(lines[1], Is.EqualTo("gsm8k,correct,out_token,0,-312.4,,,,"));
        Assert.That(lines, Does.Contain("gsm8k,random,A_norm,90,395.862,,,,"));
        Assert.That(lines, Does.Contain("gsm8k,correct,prob_gap2_mean,45,NaN,,,,"));
        Assert.That(lines[^1], Is.EqualTo("gsm8k,all,accuracy,90,0.591,,,,"));
    }

    [Test]
    public void UsesInvariantCulture_EvenUnderACommaDecimalCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var lines = WriteLines(new TrendData([SampleData.Trend()]), out _);
            Assert.That(lines[1], Is.EqualTo("gsm8k,correct,out_token,0,-312.4,,,,"));
            Assert.That(lines.Skip(1).Select(l => l.Split(',').Length), Is.All.EqualTo(9));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void ValuesRoundTrip()
    {
        var value = 0.1 + 0.2;
        var trend = new DatasetTrend("d", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Incorrect] = new Dictionary<string, TrendSeries> { ["A_norm"] = new([7], [value]) },
        });

        var lines = WriteLines(new TrendData([trend]), out _);

        Assert.That(double.Parse(lines[1].Split(',')[4], CultureInfo.InvariantCulture), Is.EqualTo(value));
    }

    [Test]
    public void QuotesDatasetNamesWithCommasAndQuotes()
    {
        var trend = SampleData.Trend("math, \"hard\"");

        var lines = WriteLines(new TrendData([trend]), out _);

        Assert.That(lines[1], Does.StartWith("\"math, \"\"hard\"\"\",correct,"));
    }

    [Test]
    public void DuplicateDataset_AndInvalidSeries_AreRejectedBeforeWriting()
    {
        using var writer = new StringWriter();
        Assert.That(() => TrendsCsvWriter.Write(new TrendData([SampleData.Trend(), SampleData.Trend()]), writer),
            Throws.TypeOf<PlotDataException>().With.Message.Contains("twice"));

        var bad = new DatasetTrend("d", new Dictionary<Stratum, IReadOnlyDictionary<string, TrendSeries>>
        {
            [Stratum.Correct] = new Dictionary<string, TrendSeries> { ["A_norm"] = new([0, 1], [1.0]) },
        });
        Assert.That(() => TrendsCsvWriter.Write(new TrendData([bad]), writer), Throws.TypeOf<PlotDataException>());
        Assert.That(writer.ToString(), Is.Empty);
    }

    [Test]
    public void WritesFile_CreatingTheDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "orz-plot-tests", Guid.NewGuid().ToString("N"), "nested");
        try
        {
            var path = Path.Combine(dir, "trends.csv");
            var rows = TrendsCsvWriter.Write(new TrendData([SampleData.Trend()]), path);

            var lines = File.ReadAllLines(path);
            Assert.That(lines, Has.Length.EqualTo(rows + 1));
            Assert.That(File.ReadAllBytes(path)[0], Is.EqualTo((byte)'d'), "no BOM");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }
}
