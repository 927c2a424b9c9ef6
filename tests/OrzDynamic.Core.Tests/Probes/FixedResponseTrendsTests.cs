using Microsoft.Extensions.Logging;
using NUnit.Framework;
using OrzDynamic.Core.Probes;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Probes;

/// <summary>Trends of fixed texts from records: groups, item lines, single-sentence groups, CSV rows, heatmap selection.</summary>
[TestFixture]
public class FixedResponseTrendsTests
{
    private static ProbeRecord Rec(string checkpoint, int index, string? group, double outToken, string? label = null) => new()
    {
        Source = "pairs", Index = index, Checkpoint = checkpoint, Group = group, Label = label, Fingerprint = "f",
        LdMetrics = new LdMetrics { OutToken = outToken, ProbEnergy = 0.5, ANorm = 3, ValidTokens = 4, ArgmaxMatchRate = 1 },
        TokenIds = [1, 2, 3, 4], LogProbs = [outToken / 4, outToken / 4, outToken / 4, outToken / 4],
    };

    private static IReadOnlyList<(ProbeCheckpoint, IReadOnlyList<ProbeRecord>)> Records() =>
    [
        // Given out of order: trends sort by iteration.
        (new ProbeCheckpoint("iter90", "/c/iter90", 90), [Rec("iter90", 0, "chosen", -1, "c0"), Rec("iter90", 1, "chosen", -3), Rec("iter90", 2, "rejected", -20)]),
        (new ProbeCheckpoint("iter0", "/c/iter0", 0), [Rec("iter0", 0, "chosen", -10, "c0"), Rec("iter0", 1, "chosen", -12), Rec("iter0", 2, "rejected", -11)]),
    ];

    [Test]
    public void GroupsAreSeparateSeries_ItemLinesFollow_SingleSentenceGroupsWarn()
    {
        var logger = new ListLogger();
        var trend = FixedResponseTrends.Build("custom_sentence_", s => ("t " + s, "sub"), Records(), maxItemLines: 2, logger).Single();
        Assert.That(trend.Key, Is.EqualTo("custom_sentence_pairs"));
        Assert.That(trend.Series.Select(s => (s.Name, s.IsItem)), Is.EqualTo(new[] { ("all", false), ("chosen", false), ("rejected", false), ("c0", true), ("chosen #1", true) }));
        var chosen = trend.Series[1].Metrics[LdMetricKeys.OutToken];
        Assert.That(chosen.Iterations, Is.EqualTo(new[] { 0, 90 }));
        Assert.That(chosen.Values, Is.EqualTo(new[] { -11.0, -2.0 }));
        Assert.That(trend.Series[0].Count, Is.EqualTo(3));
        Assert.That(logger.Warnings, Has.Exactly(1).Contains("group 'rejected' has a single sentence"));
    }

    [Test]
    public void AppendCsv_AddsRowsInTheTrendsFormat_OrStartsAfresh()
    {
        using var tmp = new TempDirectory();
        var csv = tmp.Sub("trends.csv");
        File.WriteAllText(csv, OrzDynamic.Core.Aggregation.TrendsCsvWriter.Header + "\nmath,correct,out_token,0,-1,,,,\n");
        var trends = FixedResponseTrends.Build("custom_sentence_", s => (s, s), Records(), maxItemLines: 1);
        int rows = FixedResponseTrends.AppendCsv(csv, trends);
        var lines = File.ReadAllLines(csv);
        Assert.That(lines[1], Is.EqualTo("math,correct,out_token,0,-1,,,,"));
        Assert.That(lines, Has.All.Matches<string>(l => l.Split(',').Length == 9));
        Assert.That(lines, Has.Length.EqualTo(2 + rows));
        Assert.That(rows, Is.EqualTo(4 * LdMetricKeys.All.Count * 2), "all, chosen, rejected and one item line; every metric; two iterations");
        Assert.That(lines, Does.Contain("custom_sentence_pairs,chosen,out_token,90,-2,1.4142135623730951,,,"));
        Assert.That(lines, Does.Contain("custom_sentence_pairs,item:c0,out_token,0,-10,,,,"));
        FixedResponseTrends.AppendCsv(csv, trends, appendToExisting: false);
        Assert.That(File.ReadAllLines(csv), Has.Length.EqualTo(1 + rows));
    }

    [Test]
    public void TwoCheckpointsWithOneIteration_AreRefused()
    {
        var recs = Records();
        IReadOnlyList<(ProbeCheckpoint, IReadOnlyList<ProbeRecord>)> same = [recs[0], (recs[1].Item1 with { Iteration = 90 }, recs[1].Item2)];
        var ex = Assert.Throws<ProbeInputException>(() => FixedResponseTrends.Build("x", s => (s, s), same));
        Assert.That(ex!.Message, Does.Contain("iter90").And.Contain("iter0").And.Contain("90"));
    }

    [Test]
    public void Heatmap_RowsByIteration_AndLargestChangeSelection()
    {
        var heat = TokenHeatmapBuilder.Build("pairs#2", Records(), id => $"t{id}");
        Assert.That(heat.Checkpoints, Is.EqualTo(new[] { "iter0", "iter90" }));
        Assert.That(heat.Tokens, Is.EqualTo(new[] { "t1", "t2", "t3", "t4" }));
        Assert.That(heat.DeltaFromFirst[1][0], Is.EqualTo((-20.0 / 4) - (-11.0 / 4)).Within(1e-12));
        Assert.That(TokenHeatmapBuilder.LargestChange(Records(), 2), Is.EqualTo(new[] { "pairs#0", "pairs#1" }));
    }

    [Test]
    public void HeatmapSelection_ParsesPairsOrACount_AndRefusesUnknownSamples()
    {
        Assert.That(HeatmapSelection.Parse("math500:12, aime2024:3").Samples, Is.EqualTo(new[] { ("math500", 12), ("aime2024", 3) }));
        Assert.That(HeatmapSelection.Parse("4").LargestChange, Is.EqualTo(4));
        Assert.Throws<ProbeInputException>(() => HeatmapSelection.Parse("0"));
        Assert.That(Assert.Throws<ProbeInputException>(() => HeatmapSelection.Parse("math500-12"))!.Message, Does.Contain("math500-12"));
        var items = Enumerable.Range(0, 20).Select(i => new ProbeItem { Source = "math500", Index = i * 5, Prompt = "p", ResponseTokenIds = [1] }).ToArray();
        Assert.That(HeatmapSelection.Parse("math500:15").Resolve(items, []), Is.EqualTo(new[] { "math500#15" }));
        var ex = Assert.Throws<ProbeInputException>(() => HeatmapSelection.Parse("math500:16").Resolve(items, []));
        Assert.That(ex!.Message, Does.Contain("math500:16").And.Contain("out of range").And.Contain("from 0 to 95"));
        Assert.That(Assert.Throws<ProbeInputException>(() => HeatmapSelection.Parse("aime:1").Resolve(items, []))!.Message, Does.Contain("'aime'"));
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Warnings { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning) Warnings.Add(formatter(state, exception));
        }
    }
}
