using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Plotting.Tests;

public class IterationParserTests
{
    [TestCase("/ckpt/orz_7b_ppo_iter45", 45)]
    [TestCase("/ckpt/iter0/policy", 0)]
    [TestCase("runs/iter10/ckpt_iter90/model.safetensors", 90)]
    [TestCase(@"C:\runs\iter135", 135)]
    [TestCase("iter007", 7)]
    public void TryParse_TakesTheLastIterNumber(string path, int expected)
    {
        Assert.That(IterationParser.TryParse(path, out var iteration), Is.True);
        Assert.That(iteration, Is.EqualTo(expected));
    }

    [TestCase("/ckpt/base_model")]
    [TestCase("/ckpt/iteration_5")]
    [TestCase("/ckpt/ITER45")]
    [TestCase("")]
    public void TryParse_ReturnsFalseWithoutIterDigits(string path)
    {
        Assert.That(IterationParser.TryParse(path, out var iteration), Is.False);
        Assert.That(iteration, Is.EqualTo(0));
    }

    [Test]
    public void Parse_FallsBackToTheGivenOrder()
    {
        var result = IterationParser.Parse(["/m/base", "/m/iter45", "/m/final", "/m/x_iter90"]);

        Assert.That(result, Is.EqualTo(new[] { 0, 45, 2, 90 }));
    }

    [Test]
    public void Overflow_AndEmptyPaths_AreClearErrors()
    {
        Assert.That(() => IterationParser.TryParse("/m/iter99999999999", out _),
            Throws.TypeOf<FormatException>().With.Message.Contains("/m/iter99999999999"));
        Assert.That(() => IterationParser.Parse(["/m/iter1", ""]),
            Throws.ArgumentException.With.Message.Contains("index 1"));
    }
}
