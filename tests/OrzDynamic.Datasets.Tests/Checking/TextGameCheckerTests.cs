using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

public class TextGameCheckerTests
{
    [TestCase("north", "<answer> north </answer>", true)]
    [TestCase("north", "<think>go</think> North.", true)]
    [TestCase("open gate with key", "<answer>\\boxed{Open  gate with key}</answer>", true)]
    [TestCase("open gate with key", "> open gate with key", true)]
    [TestCase("take all", "Action: \"take all\"", true)]
    [TestCase("north", "<answer> south </answer>", false)]
    [TestCase("open gate", "<answer> open gate with key </answer>", false)]
    [TestCase("north", "", false)]
    public void NormalisedExactMatch(string gold, string output, bool expected)
        => Assert.That(new TextGameChecker().Check(gold, output).IsCorrect, Is.EqualTo(expected));

    [Test]
    public void UsesTheFirstLineOfAMultiLineAnswer()
        => Assert.That(TextGameChecker.NormalizeAction("east\nthen I will go north"), Is.EqualTo("east"));
}
