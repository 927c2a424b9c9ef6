using NUnit.Framework;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Demo;

/// <summary>
/// The committed demo checkpoints show learning: greedy accuracy on the held-out demo set rises from ~0 at iter0 to
/// high at the final checkpoint, with the middle one in between, and the final model is far more confident on its
/// correct answers than iter0 is on its (incorrect) answers.
/// </summary>
[TestFixture]
public sealed class DemoCheckpointAccuracyTests
{
    private const string Dataset = "arith_demo";
    private readonly Dictionary<int, EvalResults> _results = [];
    private TempDirectory? _output;

    [OneTimeSetUp]
    public async Task EvaluateAllCheckpoints()
    {
        _output = new TempDirectory();
        foreach (var (step, path) in DemoPaths.CheckpointDirectories)
        {
            var config = new EvaluatorConfig
            {
                ModelPath = path,
                EvalPromptData = [DemoPaths.EvalData],
                DoSample = false,
                GenerateMaxLen = 64,
                BatchSize = 16,
                OutputDir = _output.Sub("iter" + step),
                EnableVisualization = false,
            };
            await using var evaluator = new Evaluator(config);
            _results[step] = await evaluator.EvalAsync();
            TestContext.Progress.WriteLine($"iter{step}: greedy accuracy {_results[step][Dataset + "/accuracy"]:0.00}, " +
                $"prob_energy correct {Get(step, "ld_correct/prob_energy"):0.0000} incorrect {Get(step, "ld_incorrect/prob_energy"):0.0000}");
        }
    }

    [OneTimeTearDown]
    public void Cleanup() => _output?.Dispose();

    private double Get(int step, string key) => _results[step].TryGetValue($"{Dataset}/{key}", out var v) ? v : double.NaN;

    private int First => _results.Keys.Min();

    private int Last => _results.Keys.Max();

    [Test]
    public void ThereAreThreeCheckpoints_FromIter0()
    {
        Assert.That(_results.Keys, Has.Count.EqualTo(3));
        Assert.That(First, Is.Zero);
    }

    [Test]
    public void Iter0_IsNearZero_AndFinalIsHigh_OnAllHeldOutProblems()
    {
        Assert.That(_results[First][Dataset + "/evaluated"], Is.EqualTo(100));
        Assert.That(_results[First][Dataset + "/accuracy"], Is.LessThanOrEqualTo(0.02));
        Assert.That(_results[Last][Dataset + "/accuracy"], Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public void MiddleCheckpoint_LiesStrictlyBetween()
    {
        var middle = _results.Keys.Order().ElementAt(1);
        var acc = _results[middle][Dataset + "/accuracy"];
        Assert.That(acc, Is.GreaterThan(_results[First][Dataset + "/accuracy"]));
        Assert.That(acc, Is.LessThan(_results[Last][Dataset + "/accuracy"]));
    }

    [Test]
    public void Final_ProbEnergyOnCorrectAnswers_IsBelowIter0sOnItsAnswers()
    {
        var finalCorrect = Get(Last, "ld_correct/prob_energy");
        var iter0Incorrect = Get(First, "ld_incorrect/prob_energy");
        Assert.That(finalCorrect, Is.LessThan(iter0Incorrect));
        Assert.That(Get(Last, "ld_correct/count"), Is.GreaterThanOrEqualTo(90));
    }

    [Test]
    public void Checkpoints_AreSmall()
    {
        Assert.That(DemoPaths.CheckpointDirectories.Select(c => c.Step), Is.EqualTo(new[] { 0, 1200, 2200 }));
        foreach (var (_, path) in DemoPaths.CheckpointDirectories)
        {
            var bytes = Directory.GetFiles(path).Sum(f => new FileInfo(f).Length);
            Assert.That(bytes, Is.LessThan(5_000_000), path);
            Assert.That(File.Exists(Path.Combine(path, CheckpointLoader.SingleFileName)), Is.True);
        }
    }
}
