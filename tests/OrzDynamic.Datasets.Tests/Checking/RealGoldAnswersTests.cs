using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Checking.Latex;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>Robustness of the math checkers (<c>orz</c> and the free-form <c>math</c>) on the real gold answers of math500 and aime2024.</summary>
public class RealGoldAnswersTests
{
    private static List<EvalSample> MathSamples()
    {
        var dir = SharedData.PathOrIgnore("data/eval_data");
        return new EvalDataLoader().Load([Path.Combine(dir, "math500.json"), Path.Combine(dir, "aime2024.json")]).Samples.ToList();
    }

    [Test]
    public void EveryGoldMatchesItselfBoxedAndNotItsNeighbour()
    {
        var samples = MathSamples();
        var checker = new OrzAnswerChecker();
        int parsed = 0, neighbourEqual = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < samples.Count; i++)
        {
            var gold = samples[i].Answer;
            if (LatexParser.TryParse(gold) is not null) parsed++;
            else TestContext.Out.WriteLine($"not parsed: {gold}");
            // A different but equivalent spelling of the same answer must also be accepted.
            Assert.That(checker.Check(gold, $"<answer> \\boxed{{{gold}}} </answer>").IsCorrect, Is.True, gold);
            var other = samples[(i + 1) % samples.Count].Answer;
            if (checker.Check(gold, $"<answer> \\boxed{{{other}}} </answer>").IsCorrect) neighbourEqual++;
        }
        TestContext.Out.WriteLine($"gold answers parsed as LaTeX math: {parsed}/{samples.Count}; neighbour judged equal: {neighbourEqual}; {sw.ElapsedMilliseconds} ms");
        Assert.That(parsed, Is.GreaterThan(samples.Count * 3 / 4));
        Assert.That(neighbourEqual, Is.LessThan(10));
    }

    [Test]
    public void FreeFormChecker_ReadsEveryRealGold_AndMatchesItInEveryForm()
    {
        var samples = MathSamples();
        var checker = new MathAnswerChecker();
        Assert.That(checker.ValidateGoldAnswers(samples), Is.Empty, "every real gold yields an answer");
        int neighbourEqual = 0;
        var failures = new List<string>();
        for (int i = 0; i < samples.Count; i++)
        {
            var gold = samples[i].Answer;
            foreach (var output in new[] { $"<answer> \\boxed{{{gold}}} </answer>", $"So the result is \\boxed{{{gold}}}.", $"The final answer is ${gold}$.", $"Thus \\[{gold}\\]" })
                if (!checker.Check(gold, output).IsCorrect) failures.Add($"gold [{gold}] output [{output}] → {checker.Check(gold, output).Stage}");
            var other = samples[(i + 1) % samples.Count].Answer;
            if (checker.Check(gold, $"\\boxed{{{other}}}").IsCorrect) neighbourEqual++;
        }
        Assert.That(failures, Is.Empty);
        Assert.That(neighbourEqual, Is.LessThan(10));
    }
}
