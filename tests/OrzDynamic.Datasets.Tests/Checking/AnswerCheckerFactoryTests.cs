using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Checking;

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
