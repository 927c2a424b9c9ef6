using OrzDynamic.Core.Results;
using OrzDynamic.Plotting.Charts;
using OrzDynamic.Plotting.Export;

namespace OrzDynamic.Plotting.Tests;

public class ChartFileNamesTests
{
    private static readonly DateTime When = new(2025, 3, 7, 9, 5, 2);

    [Test]
    public void Names_FollowThePattern()
    {
        Assert.That(OutputLayout.ComparisonChart("gsm8k"), Is.EqualTo("ld_comparison_gsm8k.png"));
        Assert.That(OutputLayout.TrendsChart("gsm8k"), Is.EqualTo("ld_trends_gsm8k.png"));
    }

    [Test]
    public void LegacyTimestampedNames_AreRecognisedPerChart()
    {
        var legacy = "ld_trends_gsm8k_" + LegacyChartNames.FormatTimestamp(When) + ".png";
        Assert.That(legacy, Is.EqualTo("ld_trends_gsm8k_20250307_090502.png"));
        Assert.That(LegacyChartNames.IsLegacyTimestamped(legacy, OutputLayout.TrendsChart("gsm8k")), Is.True);
        Assert.That(LegacyChartNames.IsLegacyTimestamped(legacy, OutputLayout.TrendsChart("gsm")), Is.False);
        Assert.That(LegacyChartNames.IsLegacyTimestamped("ld_trends_gsm8k_b.png", OutputLayout.TrendsChart("gsm8k")), Is.False);
        Assert.That(LegacyChartNames.IsLegacyTimestamped(OutputLayout.TrendsChart("gsm8k"), OutputLayout.TrendsChart("gsm8k")), Is.False);
    }

    [TestCase("math/500", "math_500")]
    [TestCase("AIME 2024", "AIME_2024")]
    [TestCase("a:b*c?", "a_b_c_")]
    [TestCase("..", "_")]
    [TestCase("gpqa-diamond.v2", "gpqa-diamond.v2")]
    public void DatasetNames_AreMadeFileSafe(string dataset, string expected)
    {
        Assert.That(OutputLayout.SafeName(dataset), Is.EqualTo(expected));
    }

    [TestCase(-312.44, "-312.4")]
    [TestCase(45.6789, "45.68")]
    [TestCase(0.45231, "0.4523")]
    [TestCase(0, "0")]
    [TestCase(0.0000123, "1.2E-05")]
    [TestCase(-123456.7, "-123457")]
    [TestCase(double.NaN, "n/a")]
    [TestCase(double.NegativeInfinity, "n/a")]
    public void ValueFormatter_IsCompact(double value, string expected)
    {
        Assert.That(ValueFormatter.Format(value), Is.EqualTo(expected));
    }
}
