using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Trainer;
using OrzDynamic.Trainer.Arithmetic;

namespace OrzDynamic.Core.Tests.Demo;

[TestFixture]
public sealed class ArithmeticTaskTests
{
    [Test]
    public void Split_HeldOutPairsNeverOccurInTraining()
    {
        var split = ArithmeticSplit.Create(seed: 5, trainCount: 5000, evalCount: 100, customCount: 6);
        var heldOut = split.Eval.Concat(split.Custom).Select(p => p.Key).ToHashSet();
        Assert.That(heldOut, Has.Count.EqualTo(106), "held-out operand pairs are distinct");
        Assert.That(split.Train.Where(p => heldOut.Contains(p.Key)), Is.Empty);
        Assert.That(split.Train, Has.Count.EqualTo(5000));
    }

    [Test]
    public void Generator_IsDeterministic_AndResultsAreNonNegative()
    {
        var a = new ArithmeticProblemGenerator(42);
        var b = new ArithmeticProblemGenerator(42);
        for (var i = 0; i < 500; i++)
        {
            var p = a.Next();
            Assert.That(b.Next(), Is.EqualTo(p));
            Assert.That(p.Result, Is.GreaterThanOrEqualTo(0));
            Assert.That(p.A, Is.InRange(10, 99));
            Assert.That(p.B, Is.InRange(10, 99));
            Assert.That(p.Question, Does.Contain(p.A.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    [TestCase(23, 15, ArithmeticOperation.Add, true)]
    [TestCase(28, 15, ArithmeticOperation.Add, false)]
    [TestCase(91, 8, ArithmeticOperation.Add, true)]
    [TestCase(95, 8, ArithmeticOperation.Add, false)]
    [TestCase(58, 24, ArithmeticOperation.Subtract, true)]
    [TestCase(50, 17, ArithmeticOperation.Subtract, false)]
    [TestCase(42, 3, ArithmeticOperation.Subtract, false)]
    public void IsCarryFree_ChecksEveryDigit(int a, int b, ArithmeticOperation op, bool expected) =>
        Assert.That(ArithmeticProblemGenerator.IsCarryFree(a, b, op), Is.EqualTo(expected));

    [Test]
    public void Generator_WithoutCarry_AndSecondOperandRange_AreRespected()
    {
        var g = new ArithmeticProblemGenerator(3, 10, 99, withoutCarry: true, secondOperandRange: (1, 9));
        var problems = Enumerable.Range(0, 400).Select(_ => g.Next()).ToArray();
        Assert.That(problems.All(p => ArithmeticProblemGenerator.IsCarryFree(p.A, p.B, p.Operation)), Is.True);
        Assert.That(problems.All(p => p.B is >= 1 and <= 9 && p.A is >= 10 and <= 99), Is.True);
        Assert.That(problems.Count(p => p.Operation == ArithmeticOperation.Add), Is.InRange(150, 250));
    }

    [Test]
    public void Response_HasTheWorkedFormat_AndPassesTheMathChecker()
    {
        var p = new ArithmeticProblem("Tom has 23 apples and buys 15 more. How many apples does he have now?", 23, 15, ArithmeticOperation.Add);
        Assert.That(p.Response, Is.EqualTo(" 23 + 15 = 38 </think> <answer> \\boxed{38} </answer>"));
        var checker = new AnswerCheckerRegistry().Resolve(AnswerCheckerRegistry.Math);
        Assert.That(checker.Check("38", p.Response, null, CancellationToken.None).IsCorrect, Is.True);
        Assert.That(checker.Check("39", p.Response, null, CancellationToken.None).IsCorrect, Is.False);
        var s = new ArithmeticProblem("x", 50, 17, ArithmeticOperation.Subtract);
        Assert.That(s.Response, Is.EqualTo(" 50 - 17 = 33 </think> <answer> \\boxed{33} </answer>"));
    }

    [Test]
    public void Settings_CheckpointStepsAreZeroMiddleAndLast()
    {
        var s = new DemoTrainingSettings();
        Assert.That(s.CheckpointSteps, Is.EqualTo(new[] { 0, s.MiddleStep, s.Optimizer.Steps }));
    }
}
