using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>One test per Hendrycks MATH normalisation rule, plus the is_equiv comparison.</summary>
public class MathNormalizerTests
{
    private static string Strip(string s) => MathNormalizer.TryStrip(s)!;

    [Test] public void RemovesLineBreaks() => Assert.That(Strip("12\n3"), Is.EqualTo("123"));
    [Test] public void RemovesNegativeThinSpace() => Assert.That(Strip("32\\!348"), Is.EqualTo("32348"));
    [Test] public void ReplacesDoubleBackslash() => Assert.That(Strip("\\\\frac{1}{2}"), Is.EqualTo("\\frac{1}{2}"));
    [Test] public void TfracAndDfracBecomeFrac() => Assert.That(Strip("\\tfrac{1}{3}+\\dfrac{2}{3}"), Is.EqualTo("\\frac{1}{3}+\\frac{2}{3}"));
    [Test] public void RemovesLeftAndRight() => Assert.That(Strip("\\left(3\\right)"), Is.EqualTo("(3)"));

    [TestCase("30^\\circ", "30")]
    [TestCase("30^{\\circ}", "30")]
    public void RemovesDegrees(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [TestCase("\\$5", "5")]
    [TestCase("$x$", "x")]
    public void RemovesDollars(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [Test] public void RemovesCommas() => Assert.That(Strip("1,000,000"), Is.EqualTo("1000000"));

    [Test]
    public void RemovesTrailingTextUnits()
    {
        Assert.That(Strip("34\\text{ cm}"), Is.EqualTo("34"));
        Assert.That(Strip("34\\text{cm}"), Is.EqualTo("34\\text{cm}"), "only \\text{ with a leading space is a unit");
        Assert.That(MathNormalizer.TryStrip("1\\text{ m}+2\\text{ m}"), Is.Null, "two unit suffixes: Python's assertion fails");
    }

    [Test] public void RemovesPercent() => Assert.That(Strip("50\\%"), Is.EqualTo("50"));

    [TestCase(".25", "0.25")]
    [TestCase("1 + .5", "1+0.5")]
    [TestCase("\\frac{.5}{2}", "\\frac{0.5}{2}")]
    public void AddsLeadingZeroToDecimals(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [TestCase("k = 7", "7")]
    [TestCase("x=7", "7")]
    [TestCase("ab=7", "7")]
    [TestCase("abc=7", "abc=7")]
    [TestCase("x=y=7", "x=y=7")]
    public void RemovesShortEquationPrefix(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [TestCase("\\sqrt3", "\\sqrt{3}")]
    [TestCase("2\\sqrt{3}", "2\\sqrt{3}")]
    [TestCase("\\sqrt23", "\\sqrt{2}3")]
    public void WrapsSqrtArgument(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [Test] public void DanglingSqrtFailsNormalisation() => Assert.That(MathNormalizer.TryStrip("2\\sqrt"), Is.Null);

    [Test] public void RemovesSpaces() => Assert.That(Strip("1 + 2 x"), Is.EqualTo("1+2x"));

    [TestCase("\\frac12", "\\frac{1}{2}")]
    [TestCase("\\frac1{72}", "\\frac{1}{72}")]
    [TestCase("\\frac{72}1", "\\frac{72}1")]
    [TestCase("\\frac1", "\\frac1")]
    public void ExpandsShorthandFractions(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [Test] public void HalfBecomesFrac() => Assert.That(Strip("0.5"), Is.EqualTo("\\frac{1}{2}"));

    [TestCase("3/4", "\\frac{3}{4}")]
    [TestCase("-3/4", "\\frac{-3}{4}")]
    [TestCase("03/4", "03/4")]
    [TestCase("a/b", "a/b")]
    [TestCase("1/2/3", "1/2/3")]
    public void SlashFractionOfIntegersBecomesFrac(string input, string expected) => Assert.That(Strip(input), Is.EqualTo(expected));

    [TestCase("902", "902.0", true)]
    [TestCase("1e3", "1000", true)]
    [TestCase("1_000", "1000", true)]
    [TestCase("\\frac{1}{2}", "0.5", true)]
    [TestCase("\\frac{8}{21}", "8/21", true)]
    [TestCase("x = 3", "3", true)]
    [TestCase("110\\%", "110", true)]
    [TestCase("\\$ 331", "331", true)]
    [TestCase("nan", "nan", false)]
    [TestCase("3", "-3", false)]
    [TestCase("(3)", "3", false)]
    public void IsEquivalent(string a, string b, bool expected) => Assert.That(MathNormalizer.IsEquivalent(a, b), Is.EqualTo(expected));

    [Test]
    public void FailedNormalisationComparesRawStrings()
    {
        Assert.That(MathNormalizer.IsEquivalent("2\\sqrt", "2\\sqrt"), Is.True);
        Assert.That(MathNormalizer.IsEquivalent("2\\sqrt", "2 \\sqrt"), Is.False);
    }

    [TestCase(" 1.5 ", 1.5)]
    [TestCase("+2.", 2.0)]
    [TestCase(".25e1", 2.5)]
    [TestCase("-Infinity", double.NegativeInfinity)]
    public void PythonFloatAcceptsPythonSyntax(string text, double expected)
    {
        Assert.That(PythonFloat.TryParse(text, out var v), Is.True);
        Assert.That(v, Is.EqualTo(expected));
    }

    [TestCase("1,5")]
    [TestCase("1__0")]
    [TestCase("_1")]
    [TestCase("0x10")]
    [TestCase("")]
    [TestCase("1.5.2")]
    public void PythonFloatRejectsWhatPythonRejects(string text) => Assert.That(PythonFloat.TryParse(text, out _), Is.False);
}
