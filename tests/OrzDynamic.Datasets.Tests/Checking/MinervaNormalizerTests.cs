using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>One test per Minerva normalisation rule.</summary>
public class MinervaNormalizerTests
{
    [TestCase("an apple", "apple")]
    [TestCase("a b", "b")]
    [TestCase("5.$", "5")]
    [TestCase("\\$5", "5")]
    [TestCase("1\\ 000", "1000")]
    [TestCase("1 000", "1000")]
    [TestCase("\\mbox{x}", "x")]
    [TestCase("x,\\text{and}y", "x,y")]
    [TestCase("x\\text{and}y", "x,y")]
    [TestCase("5\\text{m}", "5")]
    public void Substitutions(string input, string expected) => Assert.That(MinervaNormalizer.Normalize(input), Is.EqualTo(expected));

    [TestCase("12 square inches", "12")]
    [TestCase("5 dollars", "5")]
    [TestCase("30 mph", "30")]
    [TestCase("3 hours", "3")]
    [TestCase("2 km", "2")]
    [TestCase("7 units", "7")]
    [TestCase("4 points", "4")]
    [TestCase("6 feet", "6")]
    [TestCase("9 minutes", "9")]
    [TestCase("5.4 cents", "5.4")]
    [TestCase("90 degrees", "90")]
    [TestCase("3 cm", "3")]
    [TestCase("8 pounds", "8")]
    [TestCase("100 meters", "100")]
    [TestCase("12 students", "12")]
    [TestCase("3\\text{s}", "3")]
    [TestCase("3\\text{}^2", "3")]
    [TestCase("5\\mathrm{th}", "5")]
    [TestCase("45^\\circ", "45")]
    [TestCase("45^{\\circ}", "45")]
    [TestCase("1\\;2", "12")]
    [TestCase("1,\\!000", "1000")]
    [TestCase("1{,}000", "1000")]
    [TestCase("\"x\"", "x")]
    [TestCase("x,y,\\dots", "x,y,")]
    [TestCase("x,y,\\ldots", "x,y,")]
    public void RemovedExpressions(string input, string expected) => Assert.That(MinervaNormalizer.Normalize(input), Is.EqualTo(expected));

    [TestCase("\\left(18.90\\right)", "\\left(18.90\\right)")]            // "ft" inside \left
    [TestCase("\\left(3\\text{ ft}\\right)", "\\left(3\\right)")]
    [TestCase("5\\text{ ft}", "5")]
    [TestCase("5\\text{ft}", "5")]
    [TestCase("5ft", "5")]
    [TestCase("\\frac{1}{2}\\,\\mathrm{ft}", "\\frac{1}{2}\\,")]
    [TestCase("\\frac{1}{2}\\mathrm{ft}^2", "\\frac{1}{2}")]
    [TestCase("3\\mathrm{~ft}", "3")]
    [TestCase("3\\mathrm{~}x", "3x")]
    [TestCase("2\\sigma", "2\\sigma")]                                // "gm" inside \sigma
    [TestCase("\\square", "\\square")]                               // "square" is a command here
    [TestCase("x\\leftarrow y", "x\\leftarrowy")]
    [TestCase("\\Delta x", "\\Deltax")]                              // "a " inside \Delta is not an article
    [TestCase("\\text{left}", "left")]                                 // "ft" inside a word
    [TestCase("\\text{shifts}", "shifts")]
    [TestCase("\\text{Ways}", "Ways")]                                 // case-sensitive, as in the Python list
    [TestCase("x_{\\dotsc}", "x_{\\dotsc}")]                           // \dots removed only as a whole command
    public void UnitWordsAreRemovedOnlyAsWholeWordsAndNeverInsideCommands(string input, string expected)
        => Assert.That(MinervaNormalizer.Normalize(input), Is.EqualTo(expected));

    [Test]
    public void WordsAreFoundBeforeSpacesAreRemoved()
    {
        Assert.That(MinervaNormalizer.Normalize("5 square feet"), Is.EqualTo("5"));
        Assert.That(MinervaNormalizer.Normalize("\\text{ square units}"), Is.EqualTo(""));
        Assert.That(MinervaNormalizer.Normalize("a pizza slice"), Is.EqualTo("pizzaslice"));
    }

    [Test] public void KeepsMathBetweenDollars() => Assert.That(MinervaNormalizer.Normalize("is $x+1$ here"), Is.EqualTo("x+1"));
    [Test] public void UnwrapsTextNonGreedily() => Assert.That(MinervaNormalizer.Normalize("\\text{\\frac{2}{3}}"), Is.EqualTo("\\frac{2{3}}"));
    [Test] public void UnwrapsTextbf() => Assert.That(MinervaNormalizer.Normalize("\\textbf{7}"), Is.EqualTo("7"));
    [Test] public void UnwrapsOverline() => Assert.That(MinervaNormalizer.Normalize("0.\\overline{3}"), Is.EqualTo("0.3"));
    [Test] public void UnwrapsBoxedGreedily() => Assert.That(MinervaNormalizer.Normalize("\\boxed{\\frac{1}{2}}"), Is.EqualTo("\\frac{1}{2}"));

    [TestCase("\\frac12", "\\frac{1}{2}")]
    [TestCase("\\fracab", "\\frac{a}{b}")]
    [TestCase("\\frac{1}{2}", "\\frac{1}{2}")]
    public void ExpandsShortFrac(string input, string expected) => Assert.That(MinervaNormalizer.Normalize(input), Is.EqualTo(expected));

    [TestCase("\\sqrt2", "\\sqrt{2}")]
    [TestCase("\\sqrt{2}", "\\sqrt{2}")]
    public void ExpandsShortSqrt(string input, string expected) => Assert.That(MinervaNormalizer.Normalize(input), Is.EqualTo(expected));

    [TestCase("100,000", "100000")]
    [TestCase("1,2,x", "1,2,x")]
    public void RemovesThousandsSeparatorsOfPureNumbers(string input, string expected) => Assert.That(MinervaNormalizer.Normalize(input), Is.EqualTo(expected));
}
