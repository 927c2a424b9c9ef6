using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Tests;

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

public class AnswerCheckerFactoryTests
{
    [Test]
    public void ChoosesPerDatasetFromTheRealFiles()
    {
        var dir = SharedData.PathOrIgnore("data/eval_data");
        var set = new EvalDataLoader().Load([dir], new EvalDataOptions { DebugMode = true });
        var checkers = new AnswerCheckerFactory().ForDatasets(set.Samples);
        Assert.That(checkers["math500"].Kind, Is.EqualTo(AnswerCheckerKind.Math));
        Assert.That(checkers["aime2024"].Kind, Is.EqualTo(AnswerCheckerKind.Math));
        Assert.That(checkers["gpqa_diamond"].Kind, Is.EqualTo(AnswerCheckerKind.MultipleChoice));
        Assert.That(checkers["eval_jericho_dataset_4games_1.4k_instruct_20251012"].Kind, Is.EqualTo(AnswerCheckerKind.TextGame));

        var jericho = set.Samples.First(s => s.DatasetName.StartsWith("eval_jericho"));
        Assert.That(checkers[jericho.DatasetName].Check(jericho, $"<answer> {jericho.Answer} </answer>").IsCorrect, Is.True);
        var gpqa = set.Samples.First(s => s.DatasetName == "gpqa_diamond");
        Assert.That(checkers["gpqa_diamond"].Check(gpqa, $"<answer> \\boxed{{{gpqa.Answer}}} </answer>").IsCorrect, Is.True);
    }

    [Test]
    public void ExplicitKindsOverrideDetection()
    {
        var s = new EvalSample("math500", "x.json", 0, "q", "north", null, "p", null);
        var f = new AnswerCheckerFactory();
        Assert.That(f.ForDatasets([s], new Dictionary<string, AnswerCheckerKind> { ["math500"] = AnswerCheckerKind.TextGame })["math500"].Kind,
            Is.EqualTo(AnswerCheckerKind.TextGame));
        Assert.That(f.ForDatasets([s], forceAll: AnswerCheckerKind.MultipleChoice)["math500"].Kind, Is.EqualTo(AnswerCheckerKind.MultipleChoice));
        Assert.That(f.Create(AnswerCheckerKind.Math), Is.InstanceOf<MathAnswerChecker>());
    }
}
