using System.Diagnostics;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Checking.FreeForm;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>Properties of the free-form <c>math</c> checker over a corpus of golds and outputs, and its time bound under adversarial input.</summary>
public class MathAnswerCheckerPropertyTests
{
    private static readonly MathAnswerChecker Checker = new(TimeSpan.FromSeconds(5));

    /// <summary>Golds and outputs of shared/reference/answers/cases.jsonl plus gold-like strings of every rule category.</summary>
    private static (List<string> Golds, List<string> Outputs) Corpus()
    {
        var golds = new List<string>
        {
            "$x = 11$", "$(p,q) = (3,2)$", "$1, -2$", "$\\{1, 2, 3\\}$", "$1 \\pm \\sqrt{2}$", "$28\\%$", "$x \\neq 3$", "$x < 1$",
            "$[-2, 7]$", "$-793 < a < 10$", "$(-\\infty, 1) \\cup (2, \\infty)$", "$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$",
            "$7425000$", "$32, 349$", "$125\\textnormal{ miles}$", "$\\frac{1}{3}$", "$0.333333$", "$2x + 4y - 3 = 0$",
            "$y = -\\frac{x}{2} + \\frac{3}{4}$", "$\\text{Evelyn}$", "$x^2 + 2x + 1$", "$1 - \\frac{1}{e}$", "\\boxed{1}\\boxed{2}",
            "$x \\in [-2, 7]$", "$(3, 2)$", "$3, 2$", "$\\sqrt{-4}$", "$e^{i\\pi}$", "1000,99", "$1000.99$", "$x \\ge 3$", "$[3, \\infty)$",
        };
        var outputs = new List<string>();
        var path = SharedData.PathOrIgnore("reference/answers/cases.jsonl");
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            golds.Add(doc.RootElement.GetProperty("gold").GetString()!);
            outputs.Add(doc.RootElement.GetProperty("output").GetString()!);
        }
        return (golds.Distinct().ToList(), outputs);
    }

    [Test]
    public void Symmetric_OnGoldLikeStrings()
    {
        var (golds, outputs) = Corpus();
        // Gold-like strings: the golds and the answers extracted from the outputs.
        var strings = golds.Concat(outputs.Select(o => Checker.ExtractAnswer(o)).OfType<string>()).Distinct().Take(90).ToList();
        var asymmetric = new List<string>();
        for (int i = 0; i < strings.Count; i++)
            for (int j = i + 1; j < strings.Count; j++)
            {
                // The one asymmetric rule (CHECKER.md): a gold percentage also accepts its bare number.
                if (IsPercent(strings[i]) != IsPercent(strings[j])) continue;
                var ab = Checker.Check(strings[i], strings[j]).IsCorrect;
                var ba = Checker.Check(strings[j], strings[i]).IsCorrect;
                if (ab != ba) asymmetric.Add($"[{strings[i]}] vs [{strings[j]}]: {ab} / {ba}");
            }
        Assert.That(asymmetric, Is.Empty);
    }

    private static bool IsPercent(string s) =>
        s.Contains('%', StringComparison.Ordinal) || s.Contains("percent", StringComparison.OrdinalIgnoreCase) || s.Contains("pct", StringComparison.OrdinalIgnoreCase);

    [Test]
    public void Normalisation_IsIdempotent()
    {
        var (golds, outputs) = Corpus();
        var failures = new List<string>();
        foreach (var text in golds.Concat(outputs))
        {
            var once = AnswerTextNormalizer.Normalize(text);
            var twice = AnswerTextNormalizer.Normalize(once.ToString());
            if (twice != once) failures.Add($"[{text}] → [{once}] → [{twice}]");
        }
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public void AnEmptyAnswer_IsNeverAccepted()
    {
        var (golds, _) = Corpus();
        string[] empty = ["", "   ", "\n", "<answer></answer>", "<answer>\\boxed{}</answer>", "\\boxed{}", "\\boxed{ }", "$$", "$ $", "\\[ \\]",
            "\\(\\)", "<think> no answer </think>", "<think> \\boxed{5} </think>", "The final answer is", "Answer:", "\\text{}", "\\fbox{}"];
        var accepted = new List<string>();
        foreach (var gold in golds.Concat(empty))
            foreach (var output in empty)
                if (Checker.Check(gold, output).IsCorrect) accepted.Add($"gold [{gold}] output [{output}]");
        Assert.That(accepted, Is.Empty);
    }

    private static IEnumerable<TestCaseData> AdversarialInputs()
    {
        yield return new TestCaseData(new string('{', 5000) + "1" + new string('}', 5000)).SetName("DeepBraces");
        yield return new TestCaseData(new string('(', 5000) + "1" + new string(')', 5000)).SetName("DeepParentheses");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("\\frac{1}{1+", 3000)) + "x" + new string('}', 3000)).SetName("FracTower");
        yield return new TestCaseData("$" + string.Concat(Enumerable.Repeat("\\frac{1}{2+", 150)) + "1" + new string('}', 150) + "$").SetName("ParsableFracTower");
        yield return new TestCaseData("$" + new string('9', 10_000) + "$").SetName("TenThousandDigits");
        yield return new TestCaseData("$" + new string('7', 1_500) + "^{" + new string('9', 300) + "}$").SetName("HugePower");
        yield return new TestCaseData("$" + string.Join("^", Enumerable.Repeat("9", 400)) + "$").SetName("PowerTower");
        yield return new TestCaseData("$" + string.Join(", ", Enumerable.Range(0, 5000)) + "$").SetName("LongList");
        yield return new TestCaseData("\\boxed{" + string.Concat(Enumerable.Repeat("\\boxed{", 2000)) + "1" + new string('}', 2001)).SetName("NestedBoxes");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("$1$ and ", 20_000))).SetName("ManyMathBlocks");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("answer: final answer is ", 20_000))).SetName("ManyPhrases");
        yield return new TestCaseData("$" + string.Concat(Enumerable.Repeat("(x+1)", 350)) + "$").SetName("LongProduct");
        yield return new TestCaseData("$" + string.Concat(Enumerable.Repeat("\\sqrt{", 400)) + "2" + new string('}', 400) + "$").SetName("SqrtTower");
        yield return new TestCaseData("$\\begin{pmatrix}" + string.Join("\\\\", Enumerable.Repeat(string.Join("&", Enumerable.Repeat("1", 30)), 30)) + "\\end{pmatrix}$").SetName("BigMatrix");
    }

    [TestCaseSource(nameof(AdversarialInputs))]
    public void Adversarial_StaysWithinTheTimeLimit(string text)
    {
        var checker = new MathAnswerChecker(TimeSpan.FromSeconds(1));
        foreach (var (gold, output) in new[] { (text, text), ("$5$", text), (text, "\\boxed{5}") })
        {
            var clock = Stopwatch.StartNew();
            var r = checker.Check(gold, output);
            clock.Stop();
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), $"the 1 s limit plus slack for a shared machine; stage {r.Stage}");
        }
    }

    [Test]
    public void RandomLatex_NeverThrows_AndIsSymmetric()
    {
        string[] pieces =
        [
            "1", "2", "0", "-", "+", "x", "y", "e", "i", "\\pi", "\\frac{", "}{", "}", "{", "(", ")", "[", "]", "\\{", "\\}", ",", ";", "=",
            "<", "\\le", "\\ne", "!=", "\\in", "\\cup", "\\infty", "^", "_", "\\sqrt", "\\pm", "\\%", "%", "\\text{", " cm", " or ",
            " and ", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "\\boxed{", "$", "\\approx", ".", "5,000", "\\left(", "\\right)",
            "\\binom", "!", "|", "\\sin", "\\log", "0.5", "\\emptyset", "\\mathbb{R}", "1\\frac{1}{2}", "1.5e3", "\\angle",
        ];
        var rng = new Random(23);
        var checker = new MathAnswerChecker(TimeSpan.FromSeconds(10));
        var asymmetric = new List<string>();
        for (int n = 0; n < 1500; n++)
        {
            string Make() => "$" + string.Concat(Enumerable.Range(0, rng.Next(1, 14)).Select(_ => pieces[rng.Next(pieces.Length)])) + "$";
            var a = Make();
            var b = rng.Next(4) == 0 ? a : Make();
            var ab = checker.Check(a, b);
            var ba = checker.Check(b, a);
            if (ab.IsCorrect != ba.IsCorrect) asymmetric.Add($"[{a}] [{b}]: {ab.IsCorrect} {ba.IsCorrect}");
        }
        Assert.That(asymmetric, Is.Empty);
    }

    [Test]
    public void Timeout_CountsAsWrong()
    {
        var checker = new MathAnswerChecker(TimeSpan.FromTicks(1));
        var r = checker.Check("$x^2 + 2x + 1$", "$(x+1)^2$");
        Assert.That(r.IsCorrect, Is.False);
        Assert.That(r.Stage, Is.EqualTo(AnswerCheckStage.TimedOut));
    }

    [Test]
    public void CallerCancellation_Propagates()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => Checker.Check("$x^2 + 2x + 1$", "$(x+1)^2$", null, cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
