using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Metrics;

namespace OrzDynamic.Core.Tests.Results;

/// <summary>
/// The per-dataset metrics of several answers per prompt: maj@K by the checker's equivalence (1/2 and 0.5 are one
/// answer), pass@k against brute force over k-subsets of each prompt's answers, avg@K and the variance components,
/// whatever order the answers arrive in.
/// </summary>
[TestFixture]
public sealed class MultiSampleAccumulatorTests
{
    private static readonly Func<string, string, bool> Math = CheckerEquivalence.Of(new MathAnswerChecker());

    private static SampleRecord Answer(int index, int sample, string finalAnswer, bool correct, double outToken = 0) => new()
    {
        Dataset = "ds", Index = index, Sample = sample, FinalAnswer = finalAnswer, IsCorrect = correct, Output = finalAnswer,
        LdMetrics = new LdMetrics { OutToken = outToken, ValidTokens = 1 },
    };

    private static MultiSampleResult Aggregate(IEnumerable<SampleRecord> records, int k, Func<string, string, bool>? equivalent = null)
    {
        var acc = new DatasetAccumulator("ds", k, equivalent ?? Math);
        foreach (var r in records.OrderBy(r => r.Index).ThenBy(r => r.Sample)) acc.Add(r);
        return acc.ToResult().MultiSample!;
    }

    [Test]
    public void MajorityGroupsEquivalentButDifferentStrings()
    {
        // String majority: "3" (2 votes). Checker majority: 1/2 = 0.5 = \frac{1}{2} (3 votes), the correct answer.
        var records = new[] { ("3", false), ("1/2", true), ("3", false), ("0.5", true), ("\\frac{1}{2}", true) }
            .Select((a, s) => Answer(0, s, a.Item1, a.Item2));
        Assert.That(Aggregate(records, 5).MajAtK.Mean, Is.EqualTo(1.0));

        var byString = Aggregate(records, 5, (x, y) => x == y);
        Assert.That(byString.MajAtK.Mean, Is.EqualTo(0.0), "by string equality the wrong answer 3 would win");
    }

    [Test]
    public void MajorityTieGoesToTheClassAnsweredFirst()
    {
        // 0.5 ≡ 1/2 (2 votes) against 7 (2 votes): the class of the first answer (sample 0) wins.
        var correctFirst = new[] { ("0.5", true), ("7", false), ("7", false), ("1/2", true) }.Select((a, s) => Answer(0, s, a.Item1, a.Item2));
        var wrongFirst = new[] { ("7", false), ("0.5", true), ("1/2", true), ("7", false) }.Select((a, s) => Answer(1, s, a.Item1, a.Item2));
        var noAnswer = new[] { ("", false), ("", false), ("", false), ("", false) }.Select((a, s) => Answer(2, s, a.Item1, a.Item2));
        var result = Aggregate(correctFirst.Concat(wrongFirst).Concat(noAnswer), 4);
        Assert.That(result.MajAtK.Mean, Is.EqualTo(1.0 / 3).Within(1e-12), "prompt 0 correct, prompt 1 wrong, prompt 2 has no answer (wrong)");
        Assert.That(result.MajAtK.Count, Is.EqualTo(3));
    }

    [Test]
    public void PassAtKEqualsTheShareOfPassingKSubsetsPerPrompt()
    {
        var rng = new Random(7);
        const int k = 8;
        var correct = Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, k).Select(_ => rng.Next(3) == 0).ToArray()).ToArray();
        correct[0] = new bool[k];                                  // never solved
        correct[1] = Enumerable.Repeat(true, k).ToArray();          // always solved
        var records = correct.SelectMany((c, p) => c.Select((ok, s) => Answer(p, s, ok ? "1" : "2", ok)));
        // Answers arrive in any order (e.g. a continuous-batching journal): the result does not depend on it.
        var result = Aggregate(records.OrderBy(_ => rng.Next()), k);
        foreach (var kk in new[] { 1, 2, 4, 8 })
        {
            double expected = correct.Average(c => BruteForce(c, kk));
            Assert.That(result.PassAtK[kk].Mean, Is.EqualTo(expected).Within(1e-12), $"pass@{kk}");
            Assert.That(result.PassAtK[kk].Count, Is.EqualTo(correct.Length));
        }
        Assert.That(result.PassAtK.Keys, Is.EqualTo(new[] { 1, 2, 4, 8 }));
        Assert.That(result.AvgAtK.Mean, Is.EqualTo(correct.Average(c => c.Average(x => x ? 1.0 : 0.0))).Within(1e-12));
        Assert.That(result.PassAtK[1].Mean, Is.EqualTo(result.AvgAtK.Mean).Within(1e-12));
    }

    /// <summary>The share of k-subsets of a prompt's answers that hold a correct one, by enumeration.</summary>
    private static double BruteForce(bool[] correct, int k)
    {
        int n = correct.Length, subsets = 0, passing = 0;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            if (System.Numerics.BitOperations.PopCount((uint)mask) != k) continue;
            subsets++;
            bool any = false;
            for (int i = 0; i < n; i++) any |= (mask >> i & 1) == 1 && correct[i];
            if (any) passing++;
        }
        return (double)passing / subsets;
    }

    [Test]
    public void VarianceSplitsWithinAndBetweenPrompts()
    {
        // Prompt 0: out_token 1, 3 (mean 2, var 2); prompt 1: 5, 5 (mean 5, var 0). Within = 1, between = var(2, 5) = 4.5.
        var records = new[] { Answer(0, 0, "1", true, 1), Answer(0, 1, "1", true, 3), Answer(1, 0, "1", true, 5), Answer(1, 1, "1", true, 5) };
        var result = Aggregate(records, 2);
        var v = result.StratumVariance[Strata.Correct][LdMetricKeys.OutToken];
        Assert.That(v.Within, Is.EqualTo(1.0).Within(1e-12));
        Assert.That(v.Between, Is.EqualTo(4.5).Within(1e-12));
        var clustered = result.StratumClustered[Strata.Correct][LdMetricKeys.OutToken];
        Assert.That(clustered.Count, Is.EqualTo(2), "the prompt is the unit");
        // Mean 3.5 over the 4 answers; residual sums (1 + 3 − 7, 5 + 5 − 7) = (−3, 3); CR1 SE = √(18 · 2/1) / 4 = 1.5.
        Assert.That(clustered.Mean, Is.EqualTo(3.5).Within(1e-12));
        Assert.That(clustered.Std / System.Math.Sqrt(2), Is.EqualTo(1.5).Within(1e-12));
        Assert.That(double.IsNaN(result.StratumVariance[Strata.Incorrect][LdMetricKeys.OutToken].Within), Is.True);
        Assert.That(result.Accuracy.Within, Is.EqualTo(0));
    }

    [Test]
    public void AccuracyIntervalUsesPromptsAsTheUnit()
    {
        // 6 prompts × 4 answers: the interval is a t interval over 6 per-prompt accuracies, not a Wilson over 24 answers.
        var pattern = new[]
        {
            new[] { true, true, true, false }, new[] { false, false, true, false }, new[] { true, false, true, true },
            new[] { true, true, false, false }, new[] { false, true, true, false }, new[] { true, false, true, false },
        };
        var records = pattern.SelectMany((c, p) => c.Select((ok, s) => Answer(p, s, ok ? "1" : "2", ok)));
        var acc = new DatasetAccumulator("ds", 4, Math);
        foreach (var r in records) acc.Add(r);
        var ds = acc.ToResult();
        var results = new EvalResults { Checkpoint = "c", Datasets = new Dictionary<string, DatasetResult> { ["ds"] = ds } };
        var means = new[] { 0.75, 0.25, 0.75, 0.5, 0.5, 0.5 };
        var expected = Core.Statistics.StudentTInterval.Compute(means, 0.95)!;
        Assert.That(results["ds/accuracy_ci_low"], Is.EqualTo(expected.Low).Within(1e-12));
        Assert.That(results["ds/accuracy_ci_high"], Is.EqualTo(expected.High).Within(1e-12));
        Assert.That(results["ds/avg@4_ci_low"], Is.EqualTo(expected.Low).Within(1e-12));
        Assert.That(expected.Low, Is.GreaterThan(0), "inside [0, 1], so not cut");
    }

    [Test]
    public void ProportionIntervalsStayInsideZeroToOne()
    {
        // Nothing correct: the t interval would be the point 0; the Wilson interval over the 5 prompts is used instead.
        var none = new DatasetAccumulator("ds", 2, Math);
        for (int p = 0; p < 5; p++) for (int s = 0; s < 2; s++) none.Add(Answer(p, s, "2", false));
        var zero = new EvalResults { Checkpoint = "c", Datasets = new Dictionary<string, DatasetResult> { ["ds"] = none.ToResult() } };
        var wilson = Core.Statistics.WilsonInterval.Compute(0, 5)!;
        Assert.That(zero["ds/accuracy_ci_low"], Is.EqualTo(0));
        Assert.That(zero["ds/accuracy_ci_high"], Is.EqualTo(wilson.High).Within(1e-12));
        Assert.That(zero["ds/pass@2_ci_high"], Is.EqualTo(wilson.High).Within(1e-12));

        // Two prompts far apart: the t interval (2 prompts, t = 12.7) reaches beyond [0, 1] and is cut.
        var wide = new DatasetAccumulator("ds", 2, Math);
        wide.Add(Answer(0, 0, "1", true)); wide.Add(Answer(0, 1, "1", true));
        wide.Add(Answer(1, 0, "2", false)); wide.Add(Answer(1, 1, "1", true));
        var cut = new EvalResults { Checkpoint = "c", Datasets = new Dictionary<string, DatasetResult> { ["ds"] = wide.ToResult() } };
        Assert.That(cut["ds/accuracy_ci_low"], Is.EqualTo(0));
        Assert.That(cut["ds/accuracy_ci_high"], Is.EqualTo(1));
    }
}
