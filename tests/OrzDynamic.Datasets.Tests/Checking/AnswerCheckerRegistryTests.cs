using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Checking;

public class AnswerCheckerRegistryTests
{
    /// <summary>A custom checker: exact, case-sensitive match of the text inside the answer tags.</summary>
    private sealed class ExactChecker : IAnswerChecker
    {
        public AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
            CancellationToken cancellationToken = default)
        {
            var text = AnswerTextCleanup.FindAnswerText(modelOutput, fallbackToOutput: true) ?? "";
            return new AnswerCheckResult(text.Trim() == goldAnswer, text, goldAnswer, AnswerCheckStage.TextGame);
        }
    }

    private static EvalSample Sample(string dataset, IReadOnlyDictionary<string, string>? choices = null)
        => new(dataset, dataset + ".json", 0, "q", "North", choices, "p", null);

    [Test]
    public void BuiltInCheckersAreRegisteredByName()
    {
        var r = new AnswerCheckerRegistry();
        Assert.That(r.Names, Is.EqualTo(new[] { "math", "multiple_choice", "orz", "text_game" }));
        Assert.That(r.Resolve("math"), Is.InstanceOf<MathAnswerChecker>());
        Assert.That(r.Resolve("MULTIPLE_CHOICE"), Is.InstanceOf<MultipleChoiceChecker>(), "names are case-insensitive");
        Assert.That(r.Resolve(AnswerCheckerRegistry.TextGame), Is.InstanceOf<TextGameChecker>());
        Assert.That(r.Resolve("math"), Is.Not.SameAs(r.Resolve("math")), "a factory makes a checker per resolve");
    }

    [Test]
    public void OrzSelectsThePythonToolsChecker()
    {
        var r = new AnswerCheckerRegistry(TimeSpan.FromSeconds(3));
        Assert.That(r.Resolve(AnswerCheckerRegistry.Orz), Is.InstanceOf<OrzAnswerChecker>());
        Assert.That(((OrzAnswerChecker)r.Resolve("orz")).Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        var checkers = r.ForDatasets([Sample("math500"), Sample("aime")], new Dictionary<string, string> { ["math500"] = "orz" });
        Assert.That(checkers["math500"], Is.InstanceOf<OrzAnswerChecker>());
        Assert.That(checkers["aime"], Is.InstanceOf<MathAnswerChecker>(), "math stays the default for math datasets");
    }

    [Test]
    public void GoldsWithoutAnAnswerFailAtSelectionForTheMathCheckerOnly()
    {
        var bad = new EvalSample("geo", "data/geo.jsonl", 7, "q", "\\text{cm}", null, "p", null);
        var good = new EvalSample("geo", "data/geo.jsonl", 8, "q", "$12$", null, "p", null);
        var ex = Assert.Throws<DataFormatException>(() => new AnswerCheckerRegistry().ForDatasets([good, bad]));
        Assert.That(ex!.Errors, Has.Count.EqualTo(1));
        Assert.That(ex.Errors[0].FilePath, Is.EqualTo("data/geo.jsonl"));
        Assert.That(ex.Errors[0].RecordIndex, Is.EqualTo(7));
        Assert.That(ex.Errors[0].Field, Is.EqualTo("final_answer"));
        Assert.That(new AnswerCheckerRegistry().ForDatasets([good, bad], new Dictionary<string, string> { ["geo"] = "orz" })["geo"],
            Is.InstanceOf<OrzAnswerChecker>(), "the orz checker keeps its own behaviour");
    }

    [Test]
    public void MathTimeoutReachesTheMathChecker()
        => Assert.That(((MathAnswerChecker)new AnswerCheckerRegistry(TimeSpan.FromSeconds(3)).Resolve("math")).Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));

    [Test]
    public void UnknownNamesFailWithTheKnownNames()
    {
        var r = new AnswerCheckerRegistry();
        var ex = Assert.Throws<KeyNotFoundException>(() => r.Resolve("maths"))!;
        Assert.That(ex.Message, Does.Contain("'maths'").And.Contain("math, multiple_choice, orz, text_game"));
        Assert.That(() => r.ForDatasets([Sample("a")], new Dictionary<string, string> { ["a"] = "nope" }), Throws.TypeOf<KeyNotFoundException>());
    }

    [Test]
    public void CustomCheckersAreRegisteredResolvedAndSelectedPerDataset()
    {
        var r = new AnswerCheckerRegistry().Register("exact", () => new ExactChecker());
        Assert.That(r.Contains("exact") && r.Contains("EXACT"), Is.True);
        Assert.That(r.Names, Does.Contain("exact"));
        var checkers = r.ForDatasets([Sample("qa"), Sample("math500")], new Dictionary<string, string> { ["qa"] = "exact" });
        Assert.That(checkers["qa"], Is.InstanceOf<ExactChecker>());
        Assert.That(checkers["math500"], Is.InstanceOf<MathAnswerChecker>(), "datasets without a selection keep the default");
        Assert.That(checkers["qa"].Check("North", "<answer> North </answer>").IsCorrect, Is.True);
        Assert.That(checkers["qa"].Check("North", "<answer> north </answer>").IsCorrect, Is.False);
    }

    [Test]
    public void RegisteringAgainReplacesAndSharedInstancesAreReturnedAsIs()
    {
        var shared = new ExactChecker();
        var r = new AnswerCheckerRegistry().Register("math", shared);
        Assert.That(r.Resolve("math"), Is.SameAs(shared));
        Assert.That(r.Names, Has.Count.EqualTo(4));
    }

    [TestCase("")]
    [TestCase(" math")]
    [TestCase("a=b")]
    [TestCase("a,b")]
    [TestCase("*")]
    public void InvalidNamesAreRefused(string name)
        => Assert.That(() => new AnswerCheckerRegistry().Register(name, () => new ExactChecker()), Throws.ArgumentException);

    [Test]
    public void AFactoryReturningNullIsReportedByName()
    {
        var r = new AnswerCheckerRegistry().Register("broken", () => null!);
        Assert.That(() => r.Resolve("broken"), Throws.InvalidOperationException.With.Message.Contains("'broken'"));
    }

    [Test]
    public void SelectionOrder_OwnEntryThenAllDatasetsThenHeuristic()
    {
        var sel = new Dictionary<string, string> { ["zork_eval"] = "math", [AnswerCheckerRegistry.AllDatasets] = "text_game" };
        Assert.That(AnswerCheckerRegistry.SelectName("zork_eval", [Sample("zork_eval")], sel), Is.EqualTo("math"));
        Assert.That(AnswerCheckerRegistry.SelectName("math500", [Sample("math500")], sel), Is.EqualTo("text_game"));
        Assert.That(AnswerCheckerRegistry.SelectName("zork_eval", [Sample("zork_eval")], null), Is.EqualTo("text_game"));
        var choices = new Dictionary<string, string> { ["A"] = "x", ["B"] = "y" };
        Assert.That(AnswerCheckerRegistry.SelectName("quiz", [Sample("quiz", choices)], null), Is.EqualTo("multiple_choice"));
        Assert.That(AnswerCheckerRegistry.SelectName("math500", [Sample("math500")], new Dictionary<string, string>()), Is.EqualTo("math"));
    }

    [Test]
    public void ValidateSelectionListsEveryProblem()
    {
        var r = new AnswerCheckerRegistry();
        var errors = r.ValidateSelection(new Dictionary<string, string> { ["a"] = "math", ["b"] = "maths", ["*"] = "nope", ["c"] = " " });
        Assert.That(errors, Has.Count.EqualTo(3));
        Assert.That(errors, Has.Some.Contains("'maths' for dataset 'b'").And.Some.Contains("'nope' for all datasets")
            .And.Some.Contains("dataset 'c' is empty"));
        var unknown = errors.Where(e => e.Contains("unknown", StringComparison.Ordinal)).ToArray();
        Assert.That(unknown, Has.Length.EqualTo(2), "'maths' and 'nope'");
        Assert.That(unknown, Has.All.Contains("known checkers: math, multiple_choice, orz, text_game"));
    }

    [Test]
    public void DefaultChoicePerDatasetFromTheRealFiles()
    {
        var dir = SharedData.PathOrIgnore("data/eval_data");
        var set = new EvalDataLoader().Load([dir], new EvalDataOptions { DebugMode = true });
        var checkers = new AnswerCheckerRegistry().ForDatasets(set.Samples);
        Assert.That(checkers["math500"], Is.InstanceOf<MathAnswerChecker>());
        Assert.That(checkers["aime2024"], Is.InstanceOf<MathAnswerChecker>());
        Assert.That(checkers["gpqa_diamond"], Is.InstanceOf<MultipleChoiceChecker>());
        Assert.That(checkers["eval_jericho_dataset_4games_1.4k_instruct_20251012"], Is.InstanceOf<TextGameChecker>());

        var jericho = set.Samples.First(s => s.DatasetName.StartsWith("eval_jericho", StringComparison.Ordinal));
        Assert.That(checkers[jericho.DatasetName].Check(jericho, $"<answer> {jericho.Answer} </answer>").IsCorrect, Is.True);
        var gpqa = set.Samples.First(s => s.DatasetName == "gpqa_diamond");
        Assert.That(checkers["gpqa_diamond"].Check(gpqa, $"<answer> \\boxed{{{gpqa.Answer}}} </answer>").IsCorrect, Is.True);
    }
}
