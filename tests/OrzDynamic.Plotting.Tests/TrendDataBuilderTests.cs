using OrzDynamic.Metrics;
using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Plotting.Tests;

public class TrendDataBuilderTests
{
    [Test]
    public void Build_CollectsMeansPerIteration_SortedAscending_WithDerivedAccuracy()
    {
        var builder = new TrendDataBuilder()
            .Add(90, SampleData.Comparison())
            .Add(0, SampleData.Comparison() with { Strata = Shifted(-0.5) })
            .Add(45, SampleData.Comparison(withRandom: false));

        var trend = builder.Build().Get("gsm8k")!;

        var aNorm = trend.Get(Stratum.Correct, LdMetricKeys.ANorm);
        Assert.That(aNorm.Iterations, Is.EqualTo(new[] { 0, 45, 90 }));
        Assert.That(aNorm.Values, Is.EqualTo(new[] { 182.3 * 0.5, 182.3, 182.3 }).Within(1e-9));

        var random = trend.Get(Stratum.Random, LdMetricKeys.ANorm);
        Assert.That(random.Values[1], Is.NaN, "no random data at iteration 45");
        Assert.That(random.Values[2], Is.EqualTo(388.1));

        Assert.That(trend.Accuracy!.Values, Has.Count.EqualTo(3));
        Assert.That(trend.Accuracy.Values, Is.All.EqualTo(118.0 / 200).Within(1e-12));
        Assert.That(builder.Count, Is.EqualTo(3));
    }

    [Test]
    public void ExplicitAccuracy_OverridesDerivedOne_AndMustBeAFraction()
    {
        var builder = new TrendDataBuilder().Add(0, SampleData.Comparison(), accuracy: 0.25);

        Assert.That(builder.Build().Datasets[0].Accuracy!.Values, Is.EqualTo(new[] { 0.25 }));
        Assert.That(() => new TrendDataBuilder().Add(0, SampleData.Comparison(), accuracy: 25),
            Throws.TypeOf<PlotDataException>().With.Property(nameof(PlotDataException.Field)).EqualTo("accuracy"));
    }

    [Test]
    public void DuplicateDatasetIteration_IsRejected()
    {
        var builder = new TrendDataBuilder().Add(45, SampleData.Comparison());

        var ex = Assert.Throws<PlotDataException>(() => builder.Add(45, SampleData.Comparison()));
        Assert.That(ex!.Dataset, Is.EqualTo("gsm8k"));
        Assert.That(ex.Record, Does.Contain("45"));
    }

    [Test]
    public void Datasets_KeepInsertionOrder()
    {
        var data = new TrendDataBuilder()
            .Add(0, SampleData.Comparison("math500"))
            .Add(0, SampleData.Comparison("aime"))
            .Add(45, SampleData.Comparison("math500"))
            .Build();

        Assert.That(data.Datasets.Select(d => d.Dataset), Is.EqualTo(new[] { "math500", "aime" }));
        Assert.That(data.Get("aime")!.Accuracy!.Iterations, Is.EqualTo(new[] { 0 }));
        Assert.That(data.Get("nope"), Is.Null);
    }

    private static Dictionary<Stratum, StratumSummary> Shifted(double shift) => new()
    {
        [Stratum.Correct] = SampleData.Summary(Stratum.Correct, shift),
        [Stratum.Incorrect] = SampleData.Summary(Stratum.Incorrect, shift),
    };
}
