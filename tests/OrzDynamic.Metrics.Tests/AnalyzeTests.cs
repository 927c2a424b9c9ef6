using Microsoft.Extensions.Logging;
using NUnit.Framework;
using OrzDynamic.Metrics.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests;

/// <summary>AnalyzeLearningDynamics on a small hand-checkable batch.</summary>
[TestFixture]
public sealed class AnalyzeTests
{
    // V = 2. Each row has T = 3 (2 scored positions). Logits [0, ln 3] give p = (¼, ¾); [ln 3, 0] give (¾, ¼).
    //   row 0 "chosen":   labels[1..2] = [1, 1] under p = (¼,¾), (¼,¾)  → log p(y) = 2 ln ¾, both argmax matches
    //   row 1 "rejected": labels[1..2] = [0, −100] under (¼,¾)          → log p(y) = ln ¼, one miss, M = 1
    //   row 2 "chosen":   labels[1..2] = [0, 1] under (¾,¼), (¾,¼)      → ln ¾ + ln ¼, one match one miss
    private static (Tensor, Tensor) Batch()
    {
        // float64 logits so ln 3 is exact enough for 1e-12 comparisons.
        var a = 0.0;
        var b = Math.Log(3);
        var logits = tensor(new double[]
        {
            a, b, a, b, 9, 9,
            a, b, a, b, 9, 9,
            b, a, b, a, 9, 9,
        }, new long[] { 3, 3, 2 });
        var labels = tensor(new long[] { -100, 1, 1, -100, 0, -100, -100, 0, 1 }, new long[] { 3, 3 });
        return (logits, labels);
    }

    [Test]
    public void SummaryPerSampleAndPerTypeAreCorrect()
    {
        var (logits, labels) = Batch();
        using var _l = logits;
        using var _y = labels;
        var analysis = LearningDynamics.AnalyzeLearningDynamics(logits, labels, ["chosen", "rejected", "chosen"],
            options: new MetricsOptions { Precision = MetricsPrecision.Float64 });

        double l34 = Math.Log(0.75), l14 = Math.Log(0.25);
        var outToken = new[] { 2 * l34, l14, l34 + l14 };
        var energy = new[] { 0.25, 0.75, 0.5 };
        var gapSmall = Math.Sqrt(2) * 0.25;
        var gapLarge = Math.Sqrt(2) * 0.75;
        var gap = new[] { gapSmall, gapLarge, (gapSmall + gapLarge) / 2 };
        var aNorm = Math.Sqrt(2 * (0.0625 + 0.5625));   // V·‖p‖² + V − 2 with V = 2, ‖p‖ the same at every position

        Assert.That(analysis.PerSample.ValidTokens, Is.EqualTo(new long[] { 2, 1, 2 }));
        for (var i = 0; i < 3; i++)
        {
            Close.Check(analysis.PerSample.OutToken[i], outToken[i], 1e-12, $"out_token[{i}]");
            Close.Check(analysis.PerSample.ProbEnergy[i], energy[i], 1e-12, $"prob_energy[{i}]");
            Close.Check(analysis.PerSample.ProbGap2Mean[i], gap[i], 1e-12, $"gap[{i}]");
            Close.Check(analysis.PerSample.ANorm[i], aNorm, 1e-12, $"A_norm[{i}]");
            Close.Check(analysis.PerSample.OutArgmax[i], analysis.PerSample.ValidTokens[i] * l34, 1e-12, $"out_argmax[{i}]");
        }

        var s = analysis.Summary;
        Assert.That(s.SampleCount, Is.EqualTo(3));
        Assert.That(s.ValidTokens, Is.EqualTo(5));
        Assert.That(s.ArgmaxMatchRate, Is.EqualTo(3.0 / 5).Within(1e-15), "pooled over valid positions: 2 + 0 + 1 of 5");
        Close.Check(s.OutToken, outToken.Average(), 1e-12, "summary out_token");
        Close.Check(s.ProbEnergy, energy.Average(), 1e-12, "summary energy");
        Close.Check(s.ProbGap2Mean, gap.Average(), 1e-12, "summary gap");
        Close.Check(s.OutExceptArgmax, (2 * l14 + l14 + 2 * l14) / 3, 1e-12, "summary out_except_argmax");

        Assert.That(analysis.SampleTypes.Keys, Is.EqualTo(new[] { "chosen", "rejected" }));
        var chosen = analysis.SampleTypes["chosen"].Summary;
        Assert.That(chosen.SampleCount, Is.EqualTo(2));
        Assert.That(chosen.ValidTokens, Is.EqualTo(4));
        Assert.That(chosen.ArgmaxMatchRate, Is.EqualTo(0.75).Within(1e-15));
        Close.Check(chosen.ProbEnergy, (0.25 + 0.5) / 2, 1e-12, "chosen energy");
        Close.Check(chosen.OutToken, (outToken[0] + outToken[2]) / 2, 1e-12, "chosen out_token");
        var rejected = analysis.SampleTypes["rejected"];
        Assert.That(rejected.Summary.ArgmaxMatchRate, Is.EqualTo(0.0));
        Assert.That(rejected.PerSample.OutToken, Is.EqualTo(new[] { outToken[1] }).Within(1e-12));
        Assert.That(rejected.SampleTypes, Is.Empty);
    }

    [Test]
    public void WithoutSampleTypesThereAreNoTypes()
    {
        var (logits, labels) = Batch();
        using var _l = logits;
        using var _y = labels;
        var analysis = LearningDynamics.AnalyzeLearningDynamics(logits, labels);
        Assert.That(analysis.SampleTypes, Is.Empty);
        Assert.That(analysis.PerSample.Count, Is.EqualTo(3));
    }

    [Test]
    public void VerboseLogsSummaryTypesAndDecodedArgmaxTokens()
    {
        var (logits, labels) = Batch();
        using var _l = logits;
        using var _y = labels;
        var logger = new ListLogger();
        LearningDynamics.AnalyzeLearningDynamics(logits, labels, ["chosen", "rejected", "chosen"],
            tokenizer: id => id == 0 ? "zero" : "one", verbose: true, logger: logger);
        var text = string.Join("\n", logger.Lines);
        Assert.That(text, Does.Contain("valid tokens 5"));
        Assert.That(text, Does.Contain("chosen").And.Contain("rejected"));
        Assert.That(text, Does.Contain("one|one"), "row 0 argmax tokens decoded");
        Assert.That(text, Does.Contain("zero|zero"), "row 2 argmax tokens decoded");

        var quiet = new ListLogger();
        LearningDynamics.AnalyzeLearningDynamics(logits, labels, verbose: false, logger: quiet);
        Assert.That(quiet.Lines, Is.Empty);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
