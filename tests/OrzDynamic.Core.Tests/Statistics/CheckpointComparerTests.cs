using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Aggregation;
using OrzDynamic.Metrics;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Statistics;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Statistics;

[TestFixture]
public class CheckpointComparerTests
{
    private const string Ds = "math500";

    private static SampleRecord Rec(int index, bool correct, double probEnergy, string? invalid = null, string ds = Ds) => new()
    {
        Dataset = ds,
        Index = index,
        IsCorrect = correct,
        InvalidReason = invalid,
        LdMetrics = invalid is null ? new LdMetrics { ProbEnergy = probEnergy, ValidTokens = 10 + index % 3, OutToken = -probEnergy * 5 } : null,
    };

    private static CheckpointSamples Ckpt(string name, int iteration, IEnumerable<SampleRecord> records) => new(name, iteration, records);

    private static readonly ComparisonOptions ProbEnergyOnly = new() { Metrics = [LdMetricKeys.ProbEnergy] };

    [Test]
    public void ClearImprovementIsSignificantWithDirectionAndEffect()
    {
        // 60 prompts: accuracy 10 % → 70 %, prob_energy drops by ~0.2 on every prompt (with noise).
        var rng = new Random(1);
        var a = Enumerable.Range(0, 60).Select(i => Rec(i, i % 10 == 0, 0.6 + 0.05 * rng.NextDouble())).ToArray();
        var b = Enumerable.Range(0, 60).Select(i => Rec(i, i % 10 < 7, 0.4 + 0.05 * rng.NextDouble())).ToArray();
        var report = new CheckpointComparer(ProbEnergyOnly).Compare([Ckpt("iter0", 0, a), Ckpt("iter50", 50, b)]);

        var acc = report.Find(Ds, 50, ComparisonKind.Previous, ComparisonRow.AccuracyMetric, Strata.All)!;
        Assert.That(acc.Test.Test, Is.EqualTo(McNemarExactTest.Name));
        Assert.That(acc.Significant && acc.Direction == "up");
        Assert.That(acc.MeanFrom, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(acc.MeanTo, Is.EqualTo(0.7).Within(1e-12));
        Assert.That(acc.Test.Statistic, Is.EqualTo(0), "no prompt went from correct to wrong");

        var all = report.Find(Ds, 50, ComparisonKind.Previous, LdMetricKeys.ProbEnergy, Strata.All)!;
        Assert.That(all.Test.Test, Is.EqualTo(WilcoxonSignedRankTest.Name));
        Assert.That(all.Significant && all.Direction == "down");
        Assert.That(all.Test.Effect!.Value, Is.EqualTo(-0.2).Within(0.05), "median paired difference");
        Assert.That(all.MeanDifference!.Contains(-0.2));
        Assert.That(all.PairedT!.IsTestable);
        Assert.That(all.AdjustedP!.Value, Is.GreaterThanOrEqualTo(all.P!.Value));

        var correct = report.Find(Ds, 50, ComparisonKind.Previous, LdMetricKeys.ProbEnergy, Strata.Correct)!;
        Assert.That(correct.Test.Test, Is.EqualTo(WelchTTest.Name));
        Assert.That((correct.NFrom, correct.NTo), Is.EqualTo((6, 42)));
        Assert.That(report.Rows, Has.Count.EqualTo(4), "accuracy + prob_energy × {all, correct, incorrect}");
    }

    [Test]
    public void MissingAndInvalidSamplesAreLeftOutAndCounted()
    {
        var a = Enumerable.Range(0, 20).Select(i => Rec(i, false, 0.5 + i * 0.001)).ToList();
        var b = Enumerable.Range(2, 20).Select(i => Rec(i, i % 2 == 0, 0.4 + i * 0.001, invalid: i == 5 ? "no response tokens" : null)).ToList();
        var report = new CheckpointComparer(ProbEnergyOnly).Compare([Ckpt("a", 1, a), Ckpt("b", 2, b)]);
        var acc = report.Find(Ds, 2, ComparisonKind.Previous, ComparisonRow.AccuracyMetric, Strata.All)!;
        Assert.That(acc.NFrom, Is.EqualTo(18), "indices 2..19 are in both");
        Assert.That(acc.Unpaired, Is.EqualTo(4), "0, 1 only before; 20, 21 only after");
        var all = report.Find(Ds, 2, ComparisonKind.Previous, LdMetricKeys.ProbEnergy, Strata.All)!;
        Assert.That(all.NFrom, Is.EqualTo(17), "index 5 is invalid at the later checkpoint");
        Assert.That(all.Unpaired, Is.EqualTo(20 + 19 - 2 * 17));
    }

    [Test]
    public void EdgeCasesAreNotTestableAndNeverNaN()
    {
        // All correct at both; identical metrics; incorrect stratum empty at both; a second dataset empty at one side.
        var a = Enumerable.Range(0, 5).Select(i => Rec(i, true, 0.3)).Append(Rec(0, true, 0.1, ds: "tiny")).ToArray();
        var b = Enumerable.Range(0, 5).Select(i => Rec(i, true, 0.3)).ToArray();
        var c = new[] { Rec(0, false, 0.9) };
        var report = new CheckpointComparer().Compare([Ckpt("a", 0, a), Ckpt("b", 10, b), Ckpt("c", 20, c)]);
        Assert.That(report.Rows, Is.Not.Empty);
        Assert.That(report.Significant, Is.Empty);
        foreach (var r in report.Rows)
        {
            Assert.That(r.Test.IsTestable || r.Test.NotTestableReason is { Length: > 0 }, r.ToString());
            foreach (var v in new[] { r.P, r.AdjustedP, r.MeanFrom, r.MeanTo, r.Test.Effect, r.Test.Statistic, r.MeanDifference?.Low })
                if (v is { } x) Assert.That(double.IsFinite(x), r.ToString());
        }
        var acc = report.Find(Ds, 10, ComparisonKind.Previous, ComparisonRow.AccuracyMetric, Strata.All)!;
        Assert.That(acc.Test.NotTestableReason, Does.Contain("no discordant pairs"));
        var same = report.Find(Ds, 10, ComparisonKind.Previous, LdMetricKeys.ProbEnergy, Strata.All)!;
        Assert.That(same.Test.NotTestableReason, Does.Contain("all paired differences are zero"));
        var emptyStratum = report.Find(Ds, 10, ComparisonKind.Previous, LdMetricKeys.ProbEnergy, Strata.Incorrect)!;
        Assert.That(emptyStratum.Test.IsTestable, Is.False);
        Assert.That(emptyStratum.MeanFrom, Is.Null);
        var tiny = report.Find("tiny", 10, ComparisonKind.Previous, ComparisonRow.AccuracyMetric, Strata.All)!;
        Assert.That((tiny.NFrom, tiny.Unpaired), Is.EqualTo((0, 1)));
        Assert.That(report.Rows.Any(r => r.Kind == ComparisonKind.First && r.ToIteration == 20 && r.FromIteration == 0));
        Assert.That(report.Rows.Any(r => r.Kind == ComparisonKind.First && r.ToIteration == 10), Is.False, "the second checkpoint's 'first' is its 'previous'");

        var csv = ComparisonFiles.ToCsv(report);
        Assert.That(csv, Does.Not.Contain("NaN"));
        Assert.That(csv, Does.Contain("not testable").Or.Contain("no discordant pairs"));
    }

    [Test]
    public void HolmFamilyIsOneDatasetAndComparison()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 40).SelectMany(i => new[] { Rec(i, rng.Next(2) == 0, rng.NextDouble()), Rec(i, rng.Next(2) == 0, rng.NextDouble(), ds: "other") }).ToArray();
        var b = Enumerable.Range(0, 40).SelectMany(i => new[] { Rec(i, rng.Next(2) == 0, rng.NextDouble()), Rec(i, rng.Next(2) == 0, rng.NextDouble(), ds: "other") }).ToArray();
        var report = new CheckpointComparer().Compare([Ckpt("a", 0, a), Ckpt("b", 1, b)]);

        // Holm's step-down adjustment from its definition: with the m testable p-values sorted ascending,
        // p_adj(i) = max over j <= i of min(1, (m - j + 1) * p(j)) (1-based ranks); untestable rows stay without one.
        static double?[] Holm(IReadOnlyList<double?> p)
        {
            var order = Enumerable.Range(0, p.Count).Where(i => p[i] is not null).OrderBy(i => p[i]!.Value).ToArray();
            var adjusted = new double?[p.Count];
            double running = 0;
            for (int rank = 0; rank < order.Length; rank++)
            {
                running = Math.Max(running, Math.Min(1, (order.Length - rank) * p[order[rank]]!.Value));
                adjusted[order[rank]] = running;
            }
            return adjusted;
        }

        var families = report.Rows.GroupBy(r => (r.Dataset, r.Kind, r.ToIteration)).ToArray();
        Assert.That(families.Select(f => f.Key.Dataset), Is.EquivalentTo(new[] { Ds, "other" }), "one family per dataset (one comparison: b vs a)");
        int testable = 0;
        foreach (var family in families)
        {
            var rows = family.ToArray();
            Assert.That(rows, Has.Length.EqualTo(1 + 3 * LdMetricKeys.All.Count));
            var expected = Holm(rows.Select(r => r.P).ToArray());
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.That(rows[i].AdjustedP, expected[i] is { } e ? Is.EqualTo(e).Within(1e-15) : Is.Null, rows[i].ToString());
                if (expected[i] is not null) testable++;
            }
        }
        Assert.That(testable, Is.GreaterThanOrEqualTo(2 * (1 + 3 + 3)), "accuracy and both varying metrics (prob_energy, out_token) in all three strata of both datasets are adjusted");
    }

    [Test]
    public void FilesAreWrittenAtomicallyAndParse()
    {
        using var dir = new TempDirectory();
        var a = Enumerable.Range(0, 10).Select(i => Rec(i, i < 3, 0.5 + i * 0.01)).ToArray();
        var b = Enumerable.Range(0, 10).Select(i => Rec(i, i < 8, 0.3 + i * 0.02)).ToArray();
        var report = new CheckpointComparer(ProbEnergyOnly).Compare([Ckpt("iter0", 0, a), Ckpt("iter9", 9, b)]);
        var paths = ComparisonFiles.Write(report, dir.Path);
        Assert.That(paths.Select(Path.GetFileName), Is.EqualTo(new[] { OutputLayout.ComparisonsCsv, OutputLayout.ComparisonsJson }));
        Assert.That(Directory.GetFiles(dir.Path, "*.tmp"), Is.Empty);
        var lines = File.ReadAllLines(paths[0]);
        Assert.That(lines[0], Is.EqualTo("dataset,kind,from_checkpoint,from_iteration,to_checkpoint,to_iteration,metric,stratum,test,method,"
            + "n_from,n_to,unpaired,mean_from,mean_to,effect_name,effect,mean_diff,mean_diff_ci_low,mean_diff_ci_high,statistic,df,p,"
            + "p_adjusted,significant,direction,paired_t,paired_t_p,not_testable"));
        Assert.That(lines, Has.Length.EqualTo(1 + report.Rows.Count));
        using var json = JsonDocument.Parse(File.ReadAllText(paths[1]));
        Assert.That(json.RootElement.GetProperty("confidence_level").GetDouble(), Is.EqualTo(0.95));
        var row = json.RootElement.GetProperty("rows")[0];
        Assert.That(row.GetProperty("metric").GetString(), Is.EqualTo("accuracy"));
        Assert.That(row.GetProperty("test").GetProperty("p_value").GetDouble(), Is.EqualTo(report.Rows[0].P!.Value));
        Assert.That(row.GetProperty("kind").GetString(), Is.EqualTo("previous"), "as in the CSV");
    }

    [Test]
    public void LoadReadsAJournalReadOnlyAndToleratesATornLastLine()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "results.jsonl");
        using (var journal = ResultsJournal.Open(path))
        {
            journal.Append(Rec(0, true, 0.2));
            journal.Append(Rec(1, false, 0.4));
        }
        File.AppendAllText(path, "{\"dataset\":\"math500\",\"ind");
        long length = new FileInfo(path).Length;
        var samples = CheckpointSamples.Load(path, "iter3", 3, out int torn);
        Assert.That(samples.Records, Has.Count.EqualTo(2));
        Assert.That(torn, Is.EqualTo(1));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(length), "reading does not truncate");
        File.WriteAllText(path, "not json\n{}\n");
        var ex = Assert.Throws<ResultsFileException>(() => CheckpointSamples.Load(path, "x", 0, out _));
        Assert.That(ex!.Line, Is.EqualTo(1));
    }

    [Test]
    public void MultiCheckpointComparisonUsesIterationsFromKeysAndRequiresSamples()
    {
        var a = Enumerable.Range(0, 10).Select(i => Rec(i, false, 0.5)).ToArray();
        var b = Enumerable.Range(0, 10).Select(i => Rec(i, true, 0.4)).ToArray();
        var ra = ResultsAggregator.Aggregate("iter100", "runs/iter100", a, [Ds]);
        var rb = ResultsAggregator.Aggregate("iter200", "runs/iter200", b, [Ds]);
        var report = MultiCheckpointComparison.Compare(new Dictionary<string, EvalResults> { ["runs/iter200"] = rb, ["runs/iter100"] = ra });
        var acc = report.Find(Ds, 200, ComparisonKind.Previous, ComparisonRow.AccuracyMetric, Strata.All)!;
        Assert.That(acc.FromIteration, Is.EqualTo(100));
        Assert.That(acc.Test.Statistic, Is.EqualTo(0));
        Assert.That(acc.P!.Value, Is.EqualTo(2 * Math.Pow(0.5, 10)).Within(1e-15));
        var noSamples = new EvalResults { Checkpoint = "x", Datasets = ra.Datasets };
        Assert.Throws<ArgumentException>(() => MultiCheckpointComparison.Compare(new Dictionary<string, EvalResults> { ["iter1"] = ra, ["iter2"] = noSamples }));
    }

    [Test]
    public void EvalResultsExposeIntervalsAsKeysAndTyped()
    {
        var recs = Enumerable.Range(0, 20).Select(i => Rec(i, i < 15, 0.1 * (i % 5))).ToArray();
        var r = ResultsAggregator.Aggregate("iter1", null, recs, [Ds], confidenceLevel: 0.9);
        // Wilson score interval from its formula: 15 of 20 at 90 %, z = Phi^-1(0.95).
        double z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.95), n = 20, p = 15 / n;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        Assert.That(r[$"{Ds}/accuracy_ci_low"], Is.EqualTo(centre - half).Within(1e-12));
        Assert.That(r[$"{Ds}/accuracy_ci_high"], Is.EqualTo(centre + half).Within(1e-12));
        Assert.That(r.AccuracyInterval(Ds)!.Low, Is.EqualTo(centre - half).Within(1e-12));
        Assert.That(r.AccuracyInterval(Ds)!.High, Is.EqualTo(centre + half).Within(1e-12));
        // Student t interval by hand: the 15 correct answers have prob_energy 0, .1, .2, .3, .4 three times each, so
        // mean 0.2 and sample variance 3 * 0.1 / 14; half-width t(14, 0.95) * s / sqrt(15).
        double tHalf = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, 14, 0.95) * Math.Sqrt(0.3 / 14) / Math.Sqrt(15);
        Assert.That(r[$"{Ds}/ld_correct/prob_energy_ci_low"], Is.EqualTo(0.2 - tHalf).Within(1e-12));
        Assert.That(r[$"{Ds}/ld_correct/prob_energy_ci_high"], Is.EqualTo(0.2 + tHalf).Within(1e-12));
        Assert.That(r.MetricInterval(Ds, "correct", "prob_energy")!.Low, Is.EqualTo(0.2 - tHalf).Within(1e-12));
        // The random stratum is empty here: no interval keys rather than NaN ones.
        Assert.That(r.ContainsKey($"{Ds}/ld_random/prob_energy_ci_low"), Is.False);
        Assert.That(r.Values.Where((_, i) => r.Keys.ElementAt(i).Contains("_ci_", StringComparison.Ordinal)).All(double.IsFinite));
        Assert.That(r.Samples, Has.Count.EqualTo(20));
        using var dir = new TempDirectory();
        var summary = Path.Combine(dir.Path, "summary.json");
        r.WriteSummary(summary);
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        Assert.That(doc.RootElement.GetProperty("confidence_level").GetDouble(), Is.EqualTo(0.9));
        var results = doc.RootElement.GetProperty("results");
        Assert.That(results.GetProperty($"{Ds}/accuracy_ci_high").GetDouble(), Is.EqualTo(centre + half).Within(1e-12));
        Assert.That(results.TryGetProperty($"{Ds}/ld_incorrect/prob_energy_ci_low", out _), Is.True);
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void ConfigRejectsAConfidenceLevelOutsideTheOpenUnitInterval(double level)
    {
        var config = new Core.Evaluation.EvaluatorConfig { EvalPromptData = [typeof(CheckpointComparerTests).Assembly.Location], ConfidenceLevel = level };
        var ex = Assert.Throws<Core.Evaluation.EvaluatorConfigException>(() => config.Validate(requireModelFiles: false));
        Assert.That(ex!.Message, Does.Contain("ConfidenceLevel"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointComparer(new ComparisonOptions { ConfidenceLevel = level }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointComparer(new ComparisonOptions { Alpha = level }));
        var ex2 = Assert.Throws<ArgumentOutOfRangeException>(() => new CheckpointComparer(new ComparisonOptions { Metrics = ["prob_energie"] }));
        Assert.That(ex2!.Message, Does.Contain("prob_energie"));
    }
}
