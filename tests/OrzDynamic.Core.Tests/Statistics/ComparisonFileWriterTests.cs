using NUnit.Framework;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Core.Tests.Fixtures;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Statistics;

/// <summary>
/// The streaming comparison writer (what the merge and a single run use) writes exactly the bytes of the whole-report
/// formats, keeps only the significance marks, and refuses rows out of report order.
/// </summary>
[TestFixture]
public class ComparisonFileWriterTests
{
    private static SampleRecord Rec(string ds, int index, bool correct, double value, string? invalid = null) => new()
    {
        Dataset = ds,
        Index = index,
        IsCorrect = correct,
        InvalidReason = invalid,
        LdMetrics = invalid is null ? new LdMetrics { ProbEnergy = value, OutToken = -value * 5, ValidTokens = 10 + index % 3 } : null,
    };

    /// <summary>Four checkpoints, three datasets (one with a comma, quote and non-ASCII name, one empty at one checkpoint).</summary>
    private static CheckpointSamples[] Checkpoints()
    {
        var rng = new Random(7);
        string[] datasets = ["zeta", "alpha, \"quoted\" – ü", "mid"];
        return [.. new[] { 0, 40, 90, 130 }.Select((it, c) => new CheckpointSamples($"iter{it}", it,
            datasets.SelectMany(ds => Enumerable.Range(0, ds == "mid" && c == 2 ? 0 : 25).Select(i =>
                Rec(ds, i, rng.NextDouble() < 0.2 + 0.2 * c, 0.7 - 0.1 * c + 0.05 * rng.NextDouble(), invalid: i == 3 && c == 1 ? "no response tokens" : null)))))];
    }

    [Test]
    public void StreamedRows_GiveTheBytesOfTheWholeReportFormats()
    {
        var checkpoints = Checkpoints();
        var comparer = new CheckpointComparer();
        var report = comparer.Compare(checkpoints);
        Assert.That(report.Rows.Select(r => r.Dataset).Distinct().Count(), Is.EqualTo(3));
        Assert.That(report.Significant, Is.Not.Empty, "the fixture has significant changes (so the marks are exercised)");

        using var dir = new TempDirectory();
        ComparisonMarks marks;
        using (var writer = new ComparisonFileWriter(dir.Path, report.ConfidenceLevel, report.Alpha))
        {
            // The merge's order: pair by pair (all datasets at once), previous before first.
            for (int i = 1; i < checkpoints.Length; i++)
            {
                writer.Add(comparer.ComparePair(checkpoints[i - 1], checkpoints[i], ComparisonKind.Previous));
                if (i >= 2) writer.Add(comparer.ComparePair(checkpoints[0], checkpoints[i], ComparisonKind.First));
            }
            var paths = writer.Complete();
            Assert.That(writer.Rows, Is.EqualTo(report.Rows.Count));
            marks = writer.Marks;
            Assert.That(File.ReadAllText(paths[0]), Is.EqualTo(ComparisonFiles.ToCsv(report)));
            Assert.That(File.ReadAllText(paths[1]), Is.EqualTo(ComparisonFiles.ToJson(report)));
        }
        Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(2), "scratch files removed, only the two files remain");
        Assert.That(marks.SignificantPrevious, Is.EquivalentTo(ComparisonMarks.From(report).SignificantPrevious));

        var all = checkpoints.ToDictionary(c => c.Checkpoint, c => Results(c));
        var trends = MultiCheckpointAggregator.Aggregate(all);
        var fromReport = TrendSignificance.Apply(trends, report);
        var fromMarks = TrendSignificance.Apply(trends, marks);
        Assert.That(fromReport.Datasets.Select(d => d.Dataset), Is.EquivalentTo(new[] { "zeta", "alpha, \"quoted\" – ü", "mid" }));
        Assert.That(fromMarks.Datasets.Select(d => d.Dataset), Is.EqualTo(fromReport.Datasets.Select(d => d.Dataset)));
        int series = 0, marked = 0;
        foreach (var (a, b) in fromReport.Datasets.Zip(fromMarks.Datasets))
        {
            Assert.That(b.Accuracy!.SignificantChange, Is.EqualTo(a.Accuracy!.SignificantChange));
            Assert.That(b.SignificanceNote, Is.EqualTo(a.SignificanceNote));
            foreach (var (stratum, metrics) in a.Metrics)
                foreach (var (metric, s) in metrics)
                {
                    Assert.That(b.Metrics[stratum][metric].SignificantChange, Is.EqualTo(s.SignificantChange), $"{a.Dataset} {stratum} {metric}");
                    series++;
                    if (s.SignificantChange?.Any(x => x) == true) marked++;
                }
        }
        Assert.That(series, Is.GreaterThanOrEqualTo(3 * LdMetricKeys.All.Count), "every dataset's metric series compared");
        Assert.That(marked, Is.GreaterThan(0), "some series carry significance marks");
    }

    [Test]
    public void EmptyReport_SameBytes()
    {
        using var dir = new TempDirectory();
        var report = new ComparisonReport();
        var paths = ComparisonFiles.Write(report, dir.Path);
        Assert.That(File.ReadAllText(paths[0]), Is.EqualTo(ComparisonFiles.ToCsv(report)));
        Assert.That(File.ReadAllText(paths[1]), Is.EqualTo(ComparisonFiles.ToJson(report)));
    }

    [Test]
    public void RowOutOfReportOrder_Refused()
    {
        var checkpoints = Checkpoints();
        var comparer = new CheckpointComparer();
        using var dir = new TempDirectory();
        using var writer = new ComparisonFileWriter(dir.Path, 0.95, 0.05);
        writer.Add(comparer.ComparePair(checkpoints[1], checkpoints[2], ComparisonKind.Previous));
        Assert.Throws<InvalidOperationException>(() => writer.Add(comparer.ComparePair(checkpoints[0], checkpoints[1], ComparisonKind.Previous)));
    }

    private static EvalResults Results(CheckpointSamples c)
    {
        var accumulators = c.Records.Values.GroupBy(r => r.Dataset).Select(g =>
        {
            var acc = new DatasetAccumulator(g.Key);
            foreach (var r in g.OrderBy(r => r.Index)) acc.Add(r);
            return acc;
        }).ToArray();
        return ResultsAggregator.Build(c.Checkpoint, c.Checkpoint, accumulators);
    }
}
