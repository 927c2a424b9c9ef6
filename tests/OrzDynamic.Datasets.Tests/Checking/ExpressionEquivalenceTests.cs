using NUnit.Framework;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Tests.Checking;

public class ExpressionEquivalenceTests
{
    private static bool Eq(string a, string b)
        => new ExpressionEquivalence().AreEquivalent(LatexParser.Parse(a), LatexParser.Parse(b));

    [TestCase("\\frac{14}{3}", "\\frac{28}{6}", true)]
    [TestCase("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}", true)]
    [TestCase("x^2+2x+1", "(x+1)^2", true)]
    [TestCase("2x+3", "3+2x", true)]
    [TestCase("x", "y", false)]
    [TestCase("\\frac{1}{2}", "\\frac{2}{2}", false)]
    [TestCase("-\\frac{\\pi}{6}", "--\\frac{\\pi}{6}", false)]
    [TestCase("(1,2)", "(1, 2)", true)]
    [TestCase("(1,2)", "(1,2]", false)]
    [TestCase("(1,2)", "(2,1)", false)]
    [TestCase("(5,\\infty)", "(5, \\infty)", true)]
    [TestCase("(8,-2)", "((8,-2))", false)]
    [TestCase("y=2x+3", "2x+3=y", true)]
    [TestCase("y=2x+3", "y=2x+4", false)]
    [TestCase("x \\le 3", "x \\le 3", true)]
    [TestCase("x \\le 3", "x \\ge 3", false)]
    [TestCase("3", "(3,4)", false)]
    [TestCase("\\sqrt{-1}", "\\sqrt{-1}", true)]
    [TestCase("\\sqrt{-1}", "\\sqrt{-4}", false)]
    public void Compares(string a, string b, bool expected) => Assert.That(Eq(a, b), Is.EqualTo(expected));

    [Test]
    public void ToleranceIsRelative()
    {
        var eq = new ExpressionEquivalence(relativeTolerance: 1e-6);
        Assert.That(eq.NumbersEqual(1e9, 1e9 + 1), Is.True);
        Assert.That(eq.NumbersEqual(1.0, 1.001), Is.False);
        Assert.That(eq.NumbersEqual(double.PositiveInfinity, double.PositiveInfinity), Is.True);
        Assert.That(eq.NumbersEqual(double.PositiveInfinity, double.NegativeInfinity), Is.False);
        Assert.That(eq.NumbersEqual(double.NaN, double.NaN), Is.False);
    }
}
