using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>
/// Issue 12: answers wrapped in <c>\left( … \right)</c> (or <c>\bigl( … \bigr)</c>-style sizes), <c>\pm</c> answers, and
/// unit words beside commands. Every pattern is checked in both directions: the model's answer wrapped, and the gold
/// answer wrapped.
/// </summary>
public class WrappedAnswerTests
{
    private static bool Check(string gold, string answer)
        => new OrzAnswerChecker().Check(gold, "<think> work </think> <answer> \\boxed{" + answer + "} </answer>").IsCorrect;

    private static void AssertBothDirections(string plain, string wrapped, bool expected)
    {
        Assert.That(Check(plain, wrapped), Is.EqualTo(expected), $"gold [{plain}], answer [{wrapped}]");
        Assert.That(Check(wrapped, plain), Is.EqualTo(expected), $"gold [{wrapped}], answer [{plain}]");
    }

    // The samples of the issue.
    [TestCase("1 \\pm \\sqrt{19}")]
    [TestCase("\\text{(C)}")]
    [TestCase("\\text{Evelyn}")]
    // The same kinds, content the LaTeX parser cannot read (where the Python tool fails through the \le( bug).
    [TestCase("\\$18.90")]
    [TestCase("204_5")]
    [TestCase("(8,-2)")]
    [TestCase("5x - 7y + 11z + 4 = 0")]
    [TestCase("\\text{Monday and Tuesday}")]
    [TestCase("x \\in [2, 5)")]
    [TestCase("3 \\pm 2\\sqrt{2}")]
    // Content the parser reads (already right before, must stay right).
    [TestCase("\\frac{\\sqrt{3}}{3}")]
    [TestCase("1 - 12i")]
    [TestCase("76^\\circ")]
    public void LeftRightWrappedAnswerEqualsTheBareAnswer(string answer)
    {
        AssertBothDirections(answer, "\\left(" + answer + "\\right)", true);
        AssertBothDirections(answer, "\\left( " + answer + " \\right)", true);
    }

    [TestCase("\\bigl(", "\\bigr)")]
    [TestCase("\\Bigl(", "\\Bigr)")]
    [TestCase("\\biggl(", "\\biggr)")]
    [TestCase("\\Biggl(", "\\Biggr)")]
    [TestCase("\\big(", "\\big)")]
    [TestCase("\\Big(", "\\Big)")]
    [TestCase("\\left(\\left(", "\\right)\\right)")]
    [TestCase("\\left(\\bigl(", "\\bigr)\\right)")]
    public void SizedParenthesesAroundTheAnswerAreDropped(string open, string close)
    {
        foreach (var answer in new[] { "1 \\pm \\sqrt{19}", "\\text{(C)}", "\\text{Evelyn}", "\\$18.90", "42" })
            AssertBothDirections(answer, open + answer + close, true);
    }

    [TestCase("9", "\\bigl(3\\bigr)^2")]
    [TestCase("9", "\\Bigl(1+2\\Bigr)\\cdot 3")]
    [TestCase("\\frac{3}{4}", "\\left(\\frac{1}{2}\\right)\\left(\\frac{3}{2}\\right)")]
    [TestCase("(1, 5)", "\\biggl(\\frac{2}{2}, 5\\biggr)")]
    public void SizesInsideAnAnswerAreDroppedInTheParsePath(string plain, string sized)
    {
        var checker = new OrzAnswerChecker();
        Assert.That(checker.Compare(plain, sized), Is.EqualTo((true, AnswerCheckStage.Expression)), $"gold [{plain}], answer [{sized}]");
        Assert.That(checker.Compare(sized, plain), Is.EqualTo((true, AnswerCheckStage.Expression)), $"gold [{sized}], answer [{plain}]");
    }

    [Test]
    public void SizesInsideAnAnswerAreDroppedInTheStringPath()
    {
        // Not parseable (\text), so decided on strings: the sizes must not matter there either.
        AssertBothDirections("(\\text{A}, \\text{B})", "\\bigl(\\text{A}, \\text{B}\\bigr)", true);
        AssertBothDirections("\\{1, \\text{x}\\}", "\\left\\{1, \\text{x}\\right\\}", true);
        AssertBothDirections("\\left.\\text{Evelyn}\\right.", "\\text{Evelyn}", true);
    }

    [Test]
    public void UnwrappingKeepsTuplesIntervalsAndNeighbouringGroupsApart()
    {
        AssertBothDirections("(1,2)", "\\left(1,2\\right)", true);
        AssertBothDirections("1,2", "\\left(1,2\\right)", false);               // a tuple is not a bare list
        AssertBothDirections("[1,2]", "\\left(1,2\\right)", false);             // closed vs open interval
        AssertBothDirections("[1,2)", "\\left[1,2\\right)", true);
        AssertBothDirections("\\left[1,2\\right]", "\\left(1,2\\right)", false);
        AssertBothDirections("\\text{(C)}", "\\left(\\text{(B)}\\right)", false);
        AssertBothDirections("3", "\\left(3\\right)^2", false);                // the wrapper does not span the answer
        AssertBothDirections("9", "\\left(3\\right)^2", true);
        // Two groups side by side are not one wrapper: unwrapping them would leave "\text{A})(\text{B}".
        AssertBothDirections("\\text{A})(\\text{B}", "\\left(\\text{A}\\right)\\left(\\text{B}\\right)", false);
        AssertBothDirections("-\\left[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} \\right]", "\\left[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} \\right]", false);
    }

    [TestCase("1 \\pm \\sqrt{19}", "1 \\pm \\sqrt{19}", true)]
    [TestCase("1 \\pm \\sqrt{19}", "\\pm\\sqrt{19} + 1", true)]
    [TestCase("1 \\pm \\sqrt{19}", "\\frac{2 \\pm 2\\sqrt{19}}{2}", true)]
    [TestCase("1 \\pm \\sqrt{19}", "1 \\pm \\sqrt{19.0}", true)]
    [TestCase("3 \\pm 2\\sqrt{2}", "3 \\pm \\sqrt{8}", true)]
    [TestCase("\\pm 3", "x = \\pm 3", true)]
    [TestCase("x = \\pm 3", "x = 3", false)]
    [TestCase("(\\pm 1, 2)", "(\\pm1,2)", true)]
    [TestCase("1 \\mp \\sqrt{19}", "1 \\mp \\sqrt{19}", true)]
    [TestCase("1 \\pm \\sqrt{19}", "1 \\mp \\sqrt{19}", false)]
    [TestCase("1 \\pm \\sqrt{19}", "1 + \\sqrt{19}", false)]
    [TestCase("1 \\pm \\sqrt{19}", "-1 \\pm \\sqrt{19}", false)]
    [TestCase("1 \\pm \\sqrt{19}", "\\sqrt{19} \\pm 1", false)]
    [TestCase("\\pm 3", "3", false)]
    [TestCase("1 \\pm \\sqrt{19}", "1 \\pm \\sqrt{20}", false)]
    public void PlusMinusAnswersAreEqualWhenTheyHaveTheSameStructure(string a, string b, bool expected)
    {
        Assert.That(Check(a, b), Is.EqualTo(expected), $"gold [{a}], answer [{b}]");
        Assert.That(Check(b, a), Is.EqualTo(expected), $"gold [{b}], answer [{a}]");
    }

    [TestCase("5", "5\\text{ ft}")]
    [TestCase("5", "5\\text{ft}")]
    [TestCase("5", "5 \\mbox{ ft}")]
    [TestCase("3", "\\left(3\\text{ ft}\\right)")]
    [TestCase("3", "\\left(3 \\text{ ft}\\right)")]
    [TestCase("\\frac{1}{2}", "\\frac{1}{2}\\,\\mathrm{ft}")]
    [TestCase("\\frac{1}{2}", "\\frac{1}{2}\\ \\mathrm{ft}")]
    [TestCase("\\frac{1}{2}", "\\frac{1}{2}\\,\\text{ft}")]
    [TestCase("12", "12\\text{ square feet}")]
    [TestCase("3", "3\\mathrm{~ft}")]
    [TestCase("\\frac{1}{2}", "\\frac{1}{2}\\,\\mathrm{ft}^2")]
    [TestCase("5", "5\\,\\text{ft}")]
    [TestCase("7", "7\\textrm{ cm}")]
    [TestCase("25", "25\\text{ ft}^2")]
    [TestCase("2\\sigma", "2\\sigma\\text{ cm}")]
    [TestCase("\\frac{\\sqrt{3}}{2}", "\\left(\\frac{\\sqrt{3}}{2}\\right)\\text{ cm}")]
    public void UnitWordsBesideCommandsAreRemoved(string plain, string withUnit)
        => AssertBothDirections(plain, withUnit, true);

    [TestCase("6", "5\\text{ ft}")]
    [TestCase("\\frac{1}{3}", "\\frac{1}{2}\\,\\mathrm{ft}")]
    [TestCase("2\\sigma", "2\\text{ cm}")]
    public void UnitWordsDoNotMakeWrongAnswersRight(string gold, string answer)
        => AssertBothDirections(gold, answer, false);

    [TestCase("\\frac{57}{160}", ".35625")]
    [TestCase("0.35625", ".35625")]
    [TestCase("\\frac{57}{160}", "\\left(.35625\\right)")]
    [TestCase("\\frac{1}{8}", ".125")]
    public void LeadingDotDecimalsStayAccepted(string gold, string answer)
        => AssertBothDirections(gold, answer, true);
}
