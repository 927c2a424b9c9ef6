using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>The free-form <c>math</c> checker: extraction from free text and the equivalence rules of CHECKER.md.</summary>
public class MathAnswerCheckerTests
{
    private static readonly MathAnswerChecker Checker = new(TimeSpan.FromSeconds(5));

    private static bool Same(string gold, string output) => Checker.Check(gold, output).IsCorrect;

    // ---- extraction ------------------------------------------------------------------------------------------------

    [TestCase("12", "<think> 5 + 7 </think> <answer> \\boxed{12} </answer>", ExpectedResult = true)]
    [TestCase("12", "So the total is 5+7, which gives \\boxed{12}.", ExpectedResult = true)]
    [TestCase("12", "We try \\boxed{11} first.</think> The total is \\boxed{12}.", ExpectedResult = true)]
    [TestCase("11", "We try \\boxed{11} first.</think> The total is \\boxed{12}.", ExpectedResult = false)]
    [TestCase("\\frac{1}{2}", "The final answer is $\\frac{1}{2}$. I hope it is correct.", ExpectedResult = true)]
    [TestCase("-3", "Putting it together.\nAnswer: -3", ExpectedResult = true)]
    [TestCase("9", "Hence the side is nine units.\n\n**Answer**\n\\[ 9 \\]", ExpectedResult = true)]
    [TestCase("9", "First $x = 4$, and at the end we find $x = 9$.", ExpectedResult = true)]
    [TestCase("4", "First $x = 4$, and at the end we find $x = 9$.", ExpectedResult = false)]
    [TestCase("2", "We get \\(x = 2\\) as claimed.", ExpectedResult = true)]
    [TestCase("1000.99", "After all fees the number is 1,000.99€ in total", ExpectedResult = true)]
    [TestCase("42", "Counting them all gives 42", ExpectedResult = true)]
    [TestCase("1, 2", "The roots are \\boxed{1}, \\boxed{2}", ExpectedResult = true)]
    [TestCase("\\boxed{1}\\boxed{2}", "$\\boxed{2, 1}$", ExpectedResult = true)]
    [TestCase("$\\frac{3}{4}$", "\\boxed{0.75}", ExpectedResult = true)]
    [TestCase("The answer is \\boxed{7}.", "$7$", ExpectedResult = true)]
    [TestCase("$x \\in [-2, 7]$", "So the answer is $-2 \\le x \\le 7$.", ExpectedResult = true)]
    [TestCase("$x \\in [-2, 7]$", "So the answer is $-2 < x \\le 7$.", ExpectedResult = false)]
    [TestCase("$5$", "Answer: the value is 5 apples.", ExpectedResult = true)]
    [TestCase("$5$", "I think it's 4. Actually, wait, it's 5.", ExpectedResult = true)]
    public bool Extraction(string gold, string output) => Same(gold, output);

    [TestCase("5", "")]
    [TestCase("5", "I could not solve this problem.")]
    [TestCase("5", "<answer></answer>")]
    [TestCase("5", "$$ $$")]
    public void NoAnswer_NeverMatches(string gold, string output)
    {
        var r = Checker.Check(gold, output);
        Assert.That(r.IsCorrect, Is.False);
        Assert.That(r.Stage, Is.EqualTo(AnswerCheckStage.NoAnswer));
    }

    [TestCase("$$ $$")]
    [TestCase("\\text{cm}")]
    [TestCase("\\$")]
    [TestCase("square units")]
    [TestCase("")]
    [TestCase("x = ")]
    public void GoldWithoutAnswer_NeverMatches(string gold)
    {
        foreach (var output in new[] { "", "no answer here", "\\boxed{}", "<answer>\\boxed{}</answer>", "\\boxed{5}" })
        {
            var r = Checker.Check(gold, output);
            Assert.That(r.IsCorrect, Is.False, $"output [{output}]");
            Assert.That(r.Stage, Is.EqualTo(AnswerCheckStage.NoGoldAnswer));
        }
    }

    [Test]
    public void OrzAnswerTagsComeFirst()
    {
        var output = "<think> maybe \\boxed{3} </think> <answer> \\boxed{4} </answer> and later $5$";
        Assert.That(Checker.Check("4", output).IsCorrect, Is.True);
        Assert.That(Checker.Check("5", output).IsCorrect, Is.False);
    }

    [Test]
    public void Sources_AreConfigurable()
    {
        var boxedOnly = new MathAnswerChecker { Sources = [AnswerSource.Boxed] };
        Assert.That(boxedOnly.Check("\\boxed{5}", "The final answer is $5$").Stage, Is.EqualTo(AnswerCheckStage.NoAnswer));
        Assert.That(boxedOnly.Check("\\boxed{5}", "so \\boxed{5}").IsCorrect, Is.True);
        Assert.That(boxedOnly.Check("5", "so \\boxed{5}").Stage, Is.EqualTo(AnswerCheckStage.NoGoldAnswer), "the gold goes through the same sources");
        Assert.That(() => new MathAnswerChecker { Sources = [] }, Throws.ArgumentException);
    }

    // ---- equivalence: both directions ------------------------------------------------------------------------------

    // Equations: labels, chains, \approx, rearranged and scaled equations.
    [TestCase("$x = 11$", "$11$", true)]
    [TestCase("$(p,q) = (3,2)$", "$(3,2)$", true)]
    [TestCase("$(p,q) = (3,2)$", "$(2,3)$", false)]
    [TestCase("$x = 11$", "$y = 11$", false)]
    [TestCase("$x = 3 + 3 = 6$", "$6$", true)]
    [TestCase("$z = 3 + 3 = 2$", "$2$", false)]
    [TestCase("$\\frac{12}{4} = 3$", "$3$", true)]
    [TestCase("$7 = 11a + c$", "$11a + c$", false)]
    [TestCase("$f(3) = 7$", "$7$", true)]
    [TestCase("$a = b = 3$", "$3$", true)]
    [TestCase("$x = 2 + 2 = 4$", "$x = 4$", true)]
    [TestCase("$AB = 5$", "$5$", true)]
    [TestCase("$m\\angle A = 30^\\circ$", "$30$", true)]
    [TestCase("$2x = 7$", "$7$", false)]
    [TestCase("$\\pi \\approx 3.14$", "$3.14$", true)]
    [TestCase("$2x + 4y - 3 = 0$", "$y = -\\frac{x}{2} + \\frac{3}{4}$", true)]
    [TestCase("$2x + 4y - 3 = 0$", "$y = -\\frac{x}{2} + \\frac{3}{2}$", false)]
    [TestCase("$x^2 + y^2 = 4$", "$2x^2 + 2y^2 - 8 = 0$", true)]
    // Sets and lists: order, separators, braces, ±.
    [TestCase("$1, -2$", "$-2, 1$", true)]
    [TestCase("$1, -2$", "$-2, 2$", false)]
    [TestCase("$x = 1 \\text{ or } x = -2$", "$-2, 1$", true)]
    [TestCase("$\\{1, 2, 3\\}$", "$3; 2; 1$", true)]
    [TestCase("$\\{1, 2, 3\\}$", "$1, 2$", false)]
    [TestCase("$1 \\pm \\sqrt{2}$", "$1 - \\sqrt{2}, 1 + \\sqrt{2}$", true)]
    [TestCase("$1 \\pm \\sqrt{2}$", "$1 + \\sqrt{2}$", false)]
    [TestCase("$3 \\text{ and } 5$", "$5, 3$", true)]
    [TestCase("$(1, 2)$", "$(2, 1)$", false)]
    [TestCase("$(3, 2)$", "$3, 2$", true)]
    [TestCase("$(3, 2)$", "$2, 3$", false)]
    [TestCase("$[1, 2]$", "$1, 2$", false)]
    [TestCase("$(1, 2]$", "$1, 2$", false)]
    [TestCase("$\\{3, 2\\}$", "$(2, 3)$", false)]
    [TestCase("$(1, 2, 3)$", "$(1, 2, 3)$", true)]
    [TestCase("$[1, 2]$", "$(1, 2)$", false)]
    // Percent.
    [TestCase("$28\\%$", "28 percent", true)]
    [TestCase("$100\\%$", "$1$", true)]
    [TestCase("$28\\%$", "$0.28$", true)]
    [TestCase("$28\\%$", "$0.29$", false)]
    [TestCase("$28$", "$2800$", false)]
    // Inequalities.
    [TestCase("$x \\neq 3$", "x != 3", true)]
    [TestCase("$x \\neq 3$", "$x \\neq 4$", false)]
    [TestCase("$x < 1$", "$-x > -1$", true)]
    [TestCase("$x < 1$", "$x > 1$", false)]
    [TestCase("$x \\le 1$", "$x < 1$", false)]
    [TestCase("$2x + 1 \\ge 3$", "$x \\ge 1$", true)]
    // Intervals against inequalities and membership.
    [TestCase("$[-2, 7]$", "$x \\in [-2, 7]$", true)]
    [TestCase("$[-2, 7]$", "$x \\in [-2, 7)$", false)]
    [TestCase("$-793 < a < 10$", "$(-793, 10)$", true)]
    [TestCase("$-793 < a < 10$", "$(-793, 10]$", false)]
    [TestCase("$x \\ge 3$", "$[3, \\infty)$", true)]
    [TestCase("$(-\\infty, 1) \\cup (2, \\infty)$", "$(2, \\infty) \\cup (-\\infty, 1)$", true)]
    [TestCase("$(-\\infty, 1) \\cup (2, \\infty)$", "$(-\\infty, 1] \\cup (2, \\infty)$", false)]
    [TestCase("$x < -2 \\text{ or } x > 2$", "$(-\\infty, -2) \\cup (2, \\infty)$", true)]
    [TestCase("$x > -2 \\text{ and } x < 3$", "$(-2, 3)$", true)]
    [TestCase("$x < -2 \\text{ or } x > 2$", "$(-2, 2)$", false)]
    [TestCase("$\\mathbb{R}$", "$(-\\infty, \\infty)$", true)]
    // Matrices and vectors.
    [TestCase("$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$", "$\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$", true)]
    [TestCase("$\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}$", "$\\begin{pmatrix} 1 & 2 \\\\ 4 & 3 \\end{pmatrix}$", false)]
    [TestCase("$\\begin{pmatrix} 2 & 2 \\\\ 4 & 4 \\end{pmatrix}$", "$\\begin{pmatrix} 1 & 1 \\\\ 3 & 3 \\end{pmatrix} + \\begin{pmatrix} 1 & 1 \\\\ 1 & 1 \\end{pmatrix}$", true)]
    [TestCase("$\\begin{pmatrix} 2 \\\\ 4 \\end{pmatrix}$", "$2\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}$", true)]
    [TestCase("$-2$", "$\\begin{vmatrix} 1 & 2 \\\\ 3 & 4 \\end{vmatrix}$", true)]
    // Decimal comma and thousands separators.
    [TestCase("$1000.99$", "1000,99", true)]
    [TestCase("$7425000$", "$7,425,000$", true)]
    [TestCase("$32349$", "$32, 349$", false)]
    [TestCase("$32349$", "$32,349$", true)]
    // \text{} and unit words.
    [TestCase("$125\\textnormal{ miles}$", "$125$ miles", true)]
    [TestCase("$12\\text{ cm}^2$", "$12$", true)]
    [TestCase("$\\text{Evelyn}$", "Evelyn", true)]
    [TestCase("$\\mathrm{(C)}$", "$(C)$", true)]
    [TestCase("$5 \\text{ dollars}$", "$\\$5$", true)]
    [TestCase("$125\\textnormal{ miles}$", "$126$ miles", false)]
    [TestCase("$5$", "$5 \\text{ bananas}$", true)]
    [TestCase("$5$", "$6 \\text{ bananas}$", false)]
    [TestCase("$\\text{(A)}$", "$\\text{(B)}$", false)]
    // Rounding precision: a written decimal counts to six places.
    [TestCase("$\\frac{1}{3}$", "$0.333333$", true)]
    [TestCase("$\\frac{1}{3}$", "$0.3333$", false)]
    [TestCase("$\\frac{\\sqrt{2}}{2}$", "$0.707107$", false)]
    [TestCase("$\\sqrt{2}$", "$1.4142135624$", false)]
    [TestCase("$\\sqrt{2}$", "$1.41421356237310$", true)]
    [TestCase("$\\frac{2}{3}$", "$0.666667$", true)]
    [TestCase("$2$", "$2.0000001$", true)]
    [TestCase("$2$", "$2.00001$", false)]
    // Number formats.
    [TestCase("$1500$", "1.5e3", true)]
    [TestCase("$1500$", "$1.5 \\times 10^{3}$", true)]
    [TestCase("$\\frac{3}{2}$", "$1\\frac{1}{2}$", true)]
    [TestCase("$-\\frac{3}{2}$", "$-1\\frac{1}{2}$", true)]
    [TestCase("$\\binom{5}{2}$", "$10$", true)]
    [TestCase("$2^{100}$", "$1267650600228229401496703205376$", true)]
    [TestCase("$2^{100}$", "$1267650600228229401496703205377$", false)]
    [TestCase("$(-1)^{10^{20}}$", "$1$", true)]
    [TestCase("$(-1)^{10^{20}+1}$", "$-1$", true)]
    [TestCase("$2^{10^{20}}$", "$2^{10^{20}}$", true)]
    // Symbolic algebra at random points.
    [TestCase("$x^2 + 2x + 1$", "$(x+1)^2$", true)]
    [TestCase("$1 - \\frac{1}{e}$", "$1 + \\frac{1}{e}$", false)]
    [TestCase("$\\frac{\\sqrt{3}}{3}$", "$\\frac{1}{\\sqrt{3}}$", true)]
    [TestCase("$\\sin^2 x + \\cos^2 x$", "$1$", true)]
    [TestCase("$\\sqrt{-4}$", "$2i$", true)]
    [TestCase("$e^{i\\pi}$", "$-1$", true)]
    [TestCase("$x + 1$", "$y + 1$", false)]
    [TestCase("$\\sin(2x)$", "$2\\sin x \\cos x$", true)]
    [TestCase("$\\frac{1}{x-1}$", "$\\frac{-1}{1-x}$", true)]
    [TestCase("$\\text{east}$", "East", true)]
    public void Equivalence(string gold, string predicted, bool expected)
    {
        Assert.That(Same(gold, predicted), Is.EqualTo(expected), $"gold [{gold}] predicted [{predicted}]");
        Assert.That(Same(predicted, gold), Is.EqualTo(expected), "the rule is symmetric");
    }

    /// <summary>The one rule where the gold's side decides: a gold percentage accepts its bare number too.</summary>
    [TestCase("$100\\%$", "$100$", true)]
    [TestCase("$28\\%$", "$28$", true)]
    [TestCase("$100\\%$", "$10$", false)]
    [TestCase("$100$", "$100\\%$", false)]
    [TestCase("$110$", "$110\\%$", false)]
    [TestCase("$1.1$", "$110\\%$", true)]
    public void Percentage_TheGoldDecides(string gold, string predicted, bool expected) =>
        Assert.That(Same(gold, predicted), Is.EqualTo(expected), $"gold [{gold}] predicted [{predicted}]");
}
