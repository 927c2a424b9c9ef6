using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Results;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Core.Tests.Evaluation;

/// <summary><see cref="EvaluatorConfig.AnswerCheckers"/>: validation, and the Evaluator using the selected (custom) checkers.</summary>
[TestFixture]
[NonParallelizable]
public class AnswerCheckerSelectionTests
{
    private EvalFixture _fx = null!;

    /// <summary>A custom checker that accepts every output (so accuracy shows which checker judged a dataset).</summary>
    private sealed class AcceptAll : IAnswerChecker
    {
        public AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
            CancellationToken cancellationToken = default) => new(true, modelOutput, goldAnswer, AnswerCheckStage.TextGame);
    }

    [OneTimeSetUp]
    public void SetUp() => _fx = new EvalFixture();

    [OneTimeTearDown]
    public void TearDown() => _fx.Dispose();

    private EvaluatorConfig Config(string outName) => _fx.Config(0, Path.Combine(_fx.Root, outName + "-" + Guid.NewGuid().ToString("N")[..6]));

    [Test]
    public void KnownNamesAndDatasetsValidate()
    {
        var c = Config("v") with { AnswerCheckers = new Dictionary<string, string> { ["alpha"] = "text_game", ["beta"] = "MATH", ["*"] = "multiple_choice" } };
        Assert.That(() => c.Validate(), Throws.Nothing);
        Assert.That(() => Config("v").Validate(), Throws.Nothing, "no selection is valid");
    }

    [Test]
    public void UnknownCheckerName_ListsTheKnownNames()
    {
        var c = Config("v") with { AnswerCheckers = new Dictionary<string, string> { ["alpha"] = "maths" } };
        var ex = Assert.Throws<EvaluatorConfigException>(() => c.Validate())!;
        Assert.That(ex.Errors, Has.Some.Contains("unknown answer checker 'maths' for dataset 'alpha'").And.Some.Contains("known checkers: math, multiple_choice, orz, text_game"));
    }

    [Test]
    public void CustomNamesAreKnownThroughTheConfigRegistry()
    {
        var registry = new AnswerCheckerRegistry().Register("accept_all", () => new AcceptAll());
        var c = Config("v") with { AnswerCheckers = new Dictionary<string, string> { ["*"] = "accept_all" } };
        var ex = Assert.Throws<EvaluatorConfigException>(() => c.Validate())!;
        Assert.That(ex.Message, Does.Contain("unknown answer checker 'accept_all' for all datasets"));
        Assert.That(() => (c with { CheckerRegistry = registry }).Validate(), Throws.Nothing);
        var ex2 = Assert.Throws<EvaluatorConfigException>(() => (c with { CheckerRegistry = registry, AnswerCheckers = new Dictionary<string, string> { ["x"] = "nope" } }).Validate())!;
        Assert.That(ex2.Message, Does.Contain("known checkers: accept_all, math, multiple_choice, orz, text_game"));
    }

    [Test]
    public void UnknownDatasetNames_AreReportedWithTheDatasetsThereAre()
    {
        var c = Config("v") with { AnswerCheckers = new Dictionary<string, string> { ["alpah"] = "math", [""] = "math" } };
        var ex = Assert.Throws<EvaluatorConfigException>(() => c.Validate())!;
        Assert.That(ex.Errors, Has.Some.Contains("'alpah', which is not the name of an EvalPromptData file (datasets: alpha, beta"));
        Assert.That(ex.Errors, Has.Some.Contains("empty dataset name"));
    }

    [Test]
    public async Task EvaluatorUsesTheSelectedCustomChecker_PerDataset_AndRecordsItInTheManifest()
    {
        var registry = new AnswerCheckerRegistry().Register("accept_all", () => new AcceptAll());
        var config = Config("custom") with
        {
            CheckerRegistry = registry,
            AnswerCheckers = new Dictionary<string, string> { ["alpha"] = "accept_all" },
            CustomSentenceFiles = [],
            EnableVisualization = false,
        };
        await using var evaluator = new Evaluator(config);
        var results = await evaluator.EvalAsync(cancellationToken: CancellationToken.None);
        Assert.That(results["alpha/accuracy"], Is.EqualTo(1.0), "every alpha output accepted by the custom checker");
        // The untrained tiny model never writes a boxed answer, so the default math checker rejects all of beta.
        Assert.That(results["beta/accuracy"], Is.EqualTo(0.0));
        var manifest = File.ReadAllText(Path.Combine(config.OutputDir, OutputLayout.Manifest));
        Assert.That(manifest, Does.Contain("\"answer_checkers\": \"alpha=accept_all\""));
    }
}
