using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Tests.TestSupport;

namespace OrzDynamic.Datasets.Tests.Checking;

public class OrzAnswerCheckerTests
{
    private static AnswerCheckResult Check(string gold, string answerInsideTags)
        => new OrzAnswerChecker().Check(gold, "<think> ... </think> <answer> " + answerInsideTags + " </answer>");

    [TestCase("\\frac{14}{3}", "\\boxed{\\frac{28}{6}}", true, AnswerCheckStage.Expression)]
    [TestCase("34", "\\boxed{34\\text{ cm}}", true, AnswerCheckStage.MathNormalization)]
    [TestCase("7\\pi", "\\boxed{\\text{7\\pi}}", true, AnswerCheckStage.Expression)]
    [TestCase("(5,\\infty)", "\\boxed{\\text{(5,\\infty)}}", true, AnswerCheckStage.Expression)]
    [TestCase("\\text{Navin}", "\\boxed{\\text{\\text{Navin}}}", false, AnswerCheckStage.MinervaString)]
    [TestCase("\\frac{2}{3}", "\\boxed{\\text{\\frac{2}{3}}}", false, AnswerCheckStage.MinervaString)]
    [TestCase("75^\\circ", "\\boxed{\\left(75^\\circ\\right)}", true, AnswerCheckStage.MathNormalization)]
    [TestCase("864 \\mbox{ inches}^2", "\\boxed{-864 \\mbox{ inches}^2}", false, AnswerCheckStage.Expression)]
    [TestCase("\\text{even}", "\\boxed{\\text{even}}", true, AnswerCheckStage.MathNormalization)]
    public void DecidesLikeTheReferenceChecker(string gold, string answer, bool expected, AnswerCheckStage stage)
    {
        var r = Check(gold, answer);
        Assert.That(r.IsCorrect, Is.EqualTo(expected));
        Assert.That(r.Stage, Is.EqualTo(stage));
    }

    [Test]
    public void NoBoxedAnswerInsideTagsIsWrong()
    {
        var r = new OrzAnswerChecker().Check("4", "<answer> 4 </answer>");
        Assert.That(r.IsCorrect, Is.False);
        Assert.That(r.Stage, Is.EqualTo(AnswerCheckStage.NoAnswer));
        Assert.That(r.ExtractedAnswer, Is.Empty);
    }

    [Test]
    public void GoldInBoxedFormIsUnwrapped()
    {
        var r = new OrzAnswerChecker().Check("The answer is \\boxed{12}.", "<answer>\\boxed{12}</answer>");
        Assert.That(r.IsCorrect, Is.True);
        Assert.That(r.GoldAnswer, Is.EqualTo("12"));
    }

    [Test]
    public void LongRepetitiveAnswersAreWrongWithoutParsing()
    {
        var rep = string.Concat(Enumerable.Repeat("1+", 100)) + "1";
        var checker = new OrzAnswerChecker();
        Assert.That(checker.Compare("101", rep), Is.EqualTo((false, AnswerCheckStage.Repetitive)));
        Assert.That(checker.Compare(rep, rep).Equal, Is.True, "identical strings are still equal by the MATH step");
    }

    [Test]
    public void PathologicalInputs_AreJudgedIncorrect()
    {
        var checker = new OrzAnswerChecker(TimeSpan.FromSeconds(1));
        string[] nasty =
        [
            new string('(', 5000) + "1" + new string(')', 5000),
            string.Concat(Enumerable.Repeat("\\frac{", 3000)) + "1",
            string.Concat(Enumerable.Repeat("\\text{a}$", 4000)),
            string.Concat(Enumerable.Repeat("x^", 4000)) + "2",
            string.Concat(Enumerable.Range(0, 3000).Select(i => (char)('a' + i % 26))),
        ];
        // Their time budget is in the `checker-budgets` benchmark (tests/OrzDynamic.Benchmarks/Checker).
        int judged = 0;
        foreach (var s in nasty)
        {
            var r = checker.Check("1", "<answer>\\boxed{" + s + "}</answer>");
            Assert.That(r.IsCorrect, Is.False, s[..20]);
            judged++;
        }
        Assert.That(judged, Is.EqualTo(nasty.Length));
    }

    [Test]
    public void CallerCancellationPropagates()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => new OrzAnswerChecker().Compare("x+1", "1+x", cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void TimeoutCountsAsWrongWithAWarning()
    {
        var logger = new ListLogger();
        var checker = new OrzAnswerChecker(TimeSpan.FromTicks(1), logger: logger);
        Thread.Sleep(1);
        var (equal, stage) = checker.Compare("x^2+2x+1", "(x+1)^2");
        // With a one-tick limit the LaTeX stage is cancelled before it completes.
        Assert.That(equal, Is.False);
        Assert.That(stage, Is.EqualTo(AnswerCheckStage.TimedOut));
        Assert.That(logger.Warnings.Single(), Does.Contain("exceeded"));
    }

    [Test]
    public void RejectsNonPositiveTimeout()
        => Assert.That(() => new OrzAnswerChecker(TimeSpan.Zero), Throws.TypeOf<ArgumentOutOfRangeException>());
}
