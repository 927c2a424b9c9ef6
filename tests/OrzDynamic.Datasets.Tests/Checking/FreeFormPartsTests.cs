using System.Numerics;
using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Datasets.Checking.FreeForm;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>The parts of the free-form checker on their own: extraction sources, normalisation, grouping, exact numbers.</summary>
public class FreeFormPartsTests
{
    private static ExtractedAnswer? Extract(string text)
        => FreeFormExtraction.Extract(text, FreeFormExtraction.DefaultSources,
            t => AnswerEquivalence.IsAnswerLike(AnswerTextNormalizer.Normalize(t), CancellationToken.None));

    [TestCase("<think> x </think> <answer> \\boxed{4} </answer>", "4", AnswerSource.AnswerTags)]
    [TestCase("so \\boxed{4} and \\boxed{5}", "4, 5", AnswerSource.Boxed)]
    [TestCase("\\boxed{3} is wrong; later we get \\boxed{4}", "4", AnswerSource.Boxed)]
    [TestCase("<think> \\boxed{3} </think> The final answer is $4$.", "4", AnswerSource.FinalAnswerPhrase)]
    [TestCase("Answer: 17 apples", "17 apples", AnswerSource.FinalAnswerPhrase)]
    [TestCase("Answer: the count is 17, then 18", "17", AnswerSource.FinalAnswerPhrase)]
    [TestCase("We get $a$, then $b = 2$.", "b = 2", AnswerSource.MathBlock)]
    [TestCase("roots $1$, $2$ and $3$", "1, 2, 3", AnswerSource.MathBlock)]
    [TestCase("it is $28$\\% of all", "28\\%", AnswerSource.MathBlock)]
    [TestCase("\\frac{14}{3}", "\\frac{14}{3}", AnswerSource.WholeText)]
    [TestCase("x \\in [-2,7]", "x \\in [-2,7]", AnswerSource.WholeText)]
    [TestCase("we counted 12 cats and then 15 dogs", "15", AnswerSource.BareNumber)]
    [TestCase("it costs 1,250,000 in total", "1250000", AnswerSource.BareNumber)]
    [TestCase("it costs 1250,5 in total", "1250.5", AnswerSource.BareNumber)]
    [TestCase("it is 5, 7", "7", AnswerSource.BareNumber)]
    public void Sources(string text, string expected, AnswerSource source)
    {
        var found = Extract(text);
        Assert.That(found, Is.Not.Null);
        Assert.That(found!.Text, Is.EqualTo(expected));
        Assert.That(found.Source, Is.EqualTo(source));
    }

    [TestCase("The answer is clear from the figure")]
    [TestCase("")]
    [TestCase("$$ $$")]
    public void NoSource_FindsNothing(string text) => Assert.That(Extract(text), Is.Null);

    [TestCase("\\text{5 cm}", "5", false)]
    [TestCase("28 percent", "28", true)]
    [TestCase("\\$1{,}250", "1250", false)]
    [TestCase("\\left( 3 \\right)", "3", false)]
    [TestCase("x = 1 \\text{ or } x = -2", "x = 1, x = -2", false)]
    [TestCase("32, 349", "32, 349", false)]
    [TestCase("7,425,000", "7425000", false)]
    [TestCase("45^\\circ", "45", false)]
    [TestCase("\\boxed{\\dfrac{1}{2}}", "\\frac{1}{2}", false)]
    [TestCase("\\boxed{2\\text{ cm}", "\\boxed{2", false)]
    [TestCase("1\\frac{1}{2}", "(1+\\frac{1}{2})", false)]
    [TestCase("\\text{cm}", "", false)]
    public void Normalize(string text, string latex, bool percent)
    {
        var n = AnswerTextNormalizer.Normalize(text);
        Assert.That(n.Latex, Is.EqualTo(latex));
        Assert.That(n.IsPercent, Is.EqualTo(percent));
        Assert.That(AnswerTextNormalizer.Normalize(n.ToString()), Is.EqualTo(n), "idempotent");
    }

    [TestCase("1,000", true)]
    [TestCase("12,345,678.5", true)]
    [TestCase("32, 349", false)]
    [TestCase("1,00", false)]
    [TestCase("1234,567", false)]
    public void ThousandsGroupingIsDecidedByDigitGroups(string text, bool grouped) => Assert.That(ThousandsGrouping.IsGrouped(text), Is.EqualTo(grouped));

    [Test]
    public void Rational_IsExactAndBounded()
    {
        var third = Rational.Create(1, 3)!.Value;
        Assert.That(Rational.Add(third, third), Is.EqualTo(Rational.Create(2, 3)));
        Assert.That(Rational.ParseDecimal("0.125"), Is.EqualTo(Rational.Create(1, 8)));
        Assert.That(third.Round(6), Is.EqualTo(Rational.ParseDecimal("0.333333")));
        Assert.That(Rational.Create(2, 3)!.Value.Round(6), Is.EqualTo(Rational.ParseDecimal("0.666667")));
        Assert.That(Rational.Create(9, 4)!.Value.SquareRoot(), Is.EqualTo(Rational.Create(3, 2)));
        Assert.That(Rational.Create(2, 1)!.Value.SquareRoot(), Is.Null);
        Assert.That(Rational.Create(1, 0), Is.Null);
        Assert.That(Rational.FromInteger(2).Power(100)!.Value.Numerator, Is.EqualTo(BigInteger.Pow(2, 100)));
        Assert.That(Rational.FromInteger(2).Power(BigInteger.Pow(10, 20)), Is.Null, "too large to keep exact");
        Assert.That(Rational.FromInteger(-1).Power(BigInteger.Pow(10, 20) + 1), Is.EqualTo(Rational.FromInteger(-1)));
        Assert.That(Rational.FromInteger(BigInteger.Pow(10, 400)).ToDouble(), Is.EqualTo(double.PositiveInfinity));
        Assert.That(Rational.Create(BigInteger.Pow(10, 400), BigInteger.Pow(10, 399) * 4)!.Value.ToDouble(), Is.EqualTo(2.5));
    }
}
