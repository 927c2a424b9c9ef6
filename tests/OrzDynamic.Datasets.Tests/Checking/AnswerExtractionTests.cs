using System.Text.RegularExpressions;
using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

public class AnswerExtractionTests
{
    private static readonly Regex Reference = new(@"<answer>.*?(\\boxed\{.*\}).*?</answer>", RegexOptions.Singleline);

    private static string ReferenceExtract(string s)
    {
        var ms = Reference.Matches(s);
        return ms.Count == 0 ? string.Empty : ms[^1].Groups[1].Value;
    }

    [TestCase("<think>x</think> <answer> \\boxed{5} </answer>", "\\boxed{5}")]
    [TestCase("<answer>\\boxed{1}</answer> then <answer>\\boxed{2}</answer>", "\\boxed{1}</answer> then <answer>\\boxed{2}")]
    [TestCase("<think> \\boxed{0} </think> <answer> The answer is \\boxed{7}. </answer>", "\\boxed{7}")]
    [TestCase("\\boxed{5}", "")]
    [TestCase("<answer> 5 </answer>", "")]
    [TestCase("<answer> \\boxed{5 </answer>", "")]
    [TestCase("<answer> \\boxed{\\frac{1}{2}} </answer> trailing }", "\\boxed{\\frac{1}{2}}")]
    [TestCase("<answer>\n\\boxed{\n3\n}\n</answer>", "\\boxed{\n3\n}")]
    public void ExtractsLikeTheReferenceRegex(string output, string expected)
    {
        Assert.That(AnswerExtraction.ExtractFinalAnswer(output), Is.EqualTo(expected));
        Assert.That(ReferenceExtract(output), Is.EqualTo(expected), "sanity: the regex itself");
    }

    [Test]
    public void LinearScanEqualsRegexOnRandomInputs()
    {
        string[] pieces = ["<answer>", "</answer>", "\\boxed{", "}", "{", "x", " ", "\n", "<answer", "\\boxed", "1"];
        var rng = new Random(1234);
        for (int t = 0; t < 5000; t++)
        {
            var sb = new System.Text.StringBuilder();
            int n = rng.Next(0, 14);
            for (int i = 0; i < n; i++) sb.Append(pieces[rng.Next(pieces.Length)]);
            var s = sb.ToString();
            Assert.That(AnswerExtraction.ExtractFinalAnswer(s), Is.EqualTo(ReferenceExtract(s)), s);
        }
    }

    [Test]
    public void PathologicalInput_UnclosedAnswersExtractNothing()
    {
        // Its time budget is in the `checker-budgets` benchmark (tests/OrzDynamic.Benchmarks/Checker).
        var s = string.Concat(Enumerable.Repeat("<answer>\\boxed{ } ", 20000));
        Assert.That(AnswerExtraction.ExtractFinalAnswer(s), Is.Empty);
    }

    [TestCase("so \\boxed{1} and \\boxed{\\frac{2}{3}}", "\\frac{2}{3}")]
    [TestCase("\\fbox{4}", "4")]
    [TestCase("\\boxed{\\text{6}", "\\boxed{\\text{6}")]
    [TestCase("plain 42", "plain 42")]
    [TestCase("\\boxed 5", "\\boxed 5")]
    public void SolutionToAnswerUnwrapsLastBalancedBox(string input, string expected)
        => Assert.That(AnswerExtraction.SolutionToAnswer(input), Is.EqualTo(expected));

    [Test]
    public void LastAnswerTagContent()
    {
        Assert.That(AnswerExtraction.LastAnswerTagContent("<answer> a </answer><answer> b </answer>"), Is.EqualTo("b"));
        Assert.That(AnswerExtraction.LastAnswerTagContent("no tags"), Is.Null);
    }
}
