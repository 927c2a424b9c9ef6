using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

public class MultipleChoiceCheckerTests
{
    private static readonly Dictionary<string, string> Choices = new()
    {
        ["A"] = "d", ["B"] = "a", ["C"] = "Cold atomic interstellar medium.", ["D"] = "c",
    };

    [TestCase("<answer> \\boxed{C} </answer>", true)]
    [TestCase("<answer> \\boxed{(C)} </answer>", true)]
    [TestCase("<answer> \\boxed{C.} </answer>", true)]
    [TestCase("<answer> \\boxed{\\text{C}} </answer>", true)]
    [TestCase("<answer> \\boxed{\\left(\\text{(C)}\\right)} </answer>", true)]
    [TestCase("<answer> \\boxed{\\bigl(C\\bigr)} </answer>", true)]
    [TestCase("<answer> \\boxed{\\left(\\text{(B)}\\right)} </answer>", false)]
    [TestCase("<answer> \\boxed{\\textbf{(C)} Cold atomic} </answer>", true)]
    [TestCase("<answer> C. Cold atomic interstellar medium </answer>", true)]
    [TestCase("<answer> The answer is C </answer>", true)]
    [TestCase("<answer> \\boxed{cold atomic interstellar medium} </answer>", true)]
    [TestCase("<answer> \\boxed{B} </answer>", false)]
    [TestCase("<answer> \\boxed{E} </answer>", false)]
    [TestCase("<answer> \\boxed{c} </answer>", false)]
    [TestCase("I think C", false)]
    public void ReadsTheLetter(string output, bool expected)
        => Assert.That(new MultipleChoiceChecker().Check("C", output, Choices).IsCorrect, Is.EqualTo(expected));

    [Test]
    public void LowerCaseOptionTextMapsToItsLetter()
    {
        // "c" is the text of option D here, not the letter C.
        var r = new MultipleChoiceChecker().Check("D", "<answer> \\boxed{c} </answer>", Choices);
        Assert.That(r.IsCorrect, Is.True);
        Assert.That(r.ExtractedAnswer, Is.EqualTo("D"));
    }

    [Test]
    public void WithoutChoicesLettersAThroughDAreValid()
    {
        var c = new MultipleChoiceChecker();
        Assert.That(c.Check("B", "<answer>\\boxed{(b)}</answer>").IsCorrect, Is.True);
        Assert.That(c.Check("B", "<answer>nothing</answer>").IsCorrect, Is.False);
        Assert.That(c.Check("B", "no tags at all").Stage, Is.EqualTo(AnswerCheckStage.NoAnswer));
    }
}
