using NUnit.Framework;
using OrzDynamic.Core.Evaluation;

namespace OrzDynamic.Core.Tests.Evaluation;

[TestFixture]
public class EvaluatorConfigTests
{
    private string _dir = "";
    private string _data = "";

    [OneTimeSetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("orz-cfg-").FullName;
        _data = Path.Combine(_dir, "math.json");
        File.WriteAllText(_data, "[]");
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private EvaluatorConfig Valid => new() { ModelPath = _dir, EvalPromptData = [_data] };

    [Test]
    public void DefaultsMirrorThePythonTool()
    {
        var c = new EvaluatorConfig();
        Assert.Multiple(() =>
        {
            Assert.That(c.Temperature, Is.EqualTo(1.0));
            Assert.That(c.TopP, Is.EqualTo(1.0));
            Assert.That(c.TopK, Is.EqualTo(-1));
            Assert.That(c.GenerateMaxLen, Is.EqualTo(8000));
            Assert.That(c.DoSample, Is.True);
            Assert.That(c.PromptMaxLen, Is.EqualTo(2048));
            Assert.That(c.MaxEvalSamples, Is.Null);
            Assert.That(c.OutputDir, Is.EqualTo(Path.Combine("orz_dynamic_log", "model")));
            Assert.That(c.SaveDetailedResults, Is.True);
            Assert.That(c.EnableVisualization, Is.True);
            Assert.That(c.RandomTokensPerSample, Is.EqualTo(5));
            Assert.That(c.DebugNumSamples, Is.Null);
        });
        Assert.That(() => Valid.Validate(), Throws.Nothing);
        Assert.That(Valid.EffectiveTokenizerPath, Is.EqualTo(_dir));
    }

    [Test]
    public void DefaultOutputDir_IsOneFolderPerCheckpoint_AsInTheCli()
    {
        var first = new EvaluatorConfig { ModelPath = "runs/iter0" };
        var second = first with { ModelPath = "runs/iter90" };
        Assert.That(first.OutputDir, Is.EqualTo(Path.Combine("orz_dynamic_log", "iter0")));
        Assert.That(second.OutputDir, Is.EqualTo(Path.Combine("orz_dynamic_log", "iter90")));
        Assert.That((second with { CheckpointName = "final" }).OutputDir, Is.EqualTo(Path.Combine("orz_dynamic_log", "final")));
        Assert.That((second with { OutputDir = "mine" }).OutputDir, Is.EqualTo("mine"), "a directory given is used as given");
    }

    private static IEnumerable<TestCaseData> BadConfigs()
    {
        yield return Case(c => c with { ModelPath = "" }, "ModelPath is required");
        yield return Case(c => c with { ModelPath = "/no/such/model" }, "ModelPath '/no/such/model' is not a directory");
        yield return Case(c => c with { TokenizerPath = "/no/tok" }, "TokenizerPath '/no/tok' is not a directory");
        yield return Case(c => c with { Temperature = -1 }, "Temperature must be ≥ 0, got -1");
        yield return Case(c => c with { Temperature = double.NaN }, "Temperature must be ≥ 0");
        yield return Case(c => c with { TopP = 0 }, "TopP must be in (0, 1], got 0");
        yield return Case(c => c with { TopP = 1.5 }, "TopP must be in (0, 1], got 1.5");
        yield return Case(c => c with { TopK = -2 }, "TopK must be −1 (off), 0 (off) or positive, got -2");
        yield return Case(c => c with { GenerateMaxLen = 0 }, "GenerateMaxLen must be positive, got 0");
        yield return Case(c => c with { NSamples = 0 }, "NSamples must be at least 1, got 0");
        yield return Case(c => c with { EvalPromptData = [] }, "EvalPromptData names no data file");
        yield return Case(c => c with { EvalPromptData = ["/no/data.json"] }, "EvalPromptData file '/no/data.json' does not exist");
        yield return Case(c => c with { EvalPromptData = [" "] }, "EvalPromptData contains an empty path");
        yield return Case(c => c with { CustomSentenceFiles = ["/no/s.json"] }, "CustomSentenceFiles file '/no/s.json' does not exist");
        yield return Case(c => c with { PromptMaxLen = 0 }, "PromptMaxLen must be positive, got 0");
        yield return Case(c => c with { MaxEvalSamples = 0 }, "MaxEvalSamples must be positive or null (all), got 0");
        yield return Case(c => c with { OutputDir = "" }, "OutputDir is required");
        yield return Case(c => c with { Device = "gpu" }, "Device must be 'cpu', 'cuda' or 'cuda:N', got 'gpu'");
        yield return Case(c => c with { DType = "int8" }, "DType must be one of float32, bfloat16, float16 (or unset), got 'int8'");
        yield return Case(c => c with { BatchSize = 0 }, "BatchSize must be positive, got 0");
        yield return Case(c => c with { RandomTokensPerSample = -1 }, "RandomTokensPerSample must be ≥ 0, got -1");
        yield return Case(c => c with { DebugNumSamples = 0 }, "DebugNumSamples must be positive or null (off), got 0");
        yield return Case(c => c with { ScoringChunkSize = 0 }, "ScoringChunkSize must be positive, got 0");
        yield return Case(c => c with { PromptTemplate = "no placeholder" }, "PromptTemplate must be 'orz', 'chat' or a text with the {prompt} placeholder");
    }

    private static TestCaseData Case(Func<EvaluatorConfig, EvaluatorConfig> edit, string message) =>
        new TestCaseData(edit, message).SetArgDisplayNames(message.Split(' ')[0] + ":" + message.GetHashCode(StringComparison.Ordinal));

    [TestCaseSource(nameof(BadConfigs))]
    public void EveryBadValueHasItsMessage(Func<EvaluatorConfig, EvaluatorConfig> edit, string message)
    {
        var ex = Assert.Throws<EvaluatorConfigException>(() => edit(Valid).Validate());
        Assert.That(ex!.Errors, Has.Some.StartsWith(message), string.Join(" | ", ex.Errors));
        Assert.That(ex.Errors, Has.Count.EqualTo(1), "only the bad value is reported");
    }

    [Test]
    public void AllProblemsAreListedAtOnce()
    {
        var ex = Assert.Throws<EvaluatorConfigException>(() => (Valid with { TopP = 2, BatchSize = -1, Device = "tpu" }).Validate());
        Assert.That(ex!.Errors, Has.Count.EqualTo(3));
        Assert.That(ex.Message, Does.Contain("TopP").And.Contain("BatchSize").And.Contain("Device"));
    }

    [Test]
    public void DuplicateDatasetNamesAreRefused()
    {
        var other = Path.Combine(_dir, "sub");
        Directory.CreateDirectory(other);
        var twin = Path.Combine(other, "math.jsonl");
        File.WriteAllText(twin, "");
        var ex = Assert.Throws<EvaluatorConfigException>(() => (Valid with { EvalPromptData = [_data, twin] }).Validate());
        Assert.That(ex!.Message, Does.Contain("two files with the dataset name 'math'"));
    }
}
