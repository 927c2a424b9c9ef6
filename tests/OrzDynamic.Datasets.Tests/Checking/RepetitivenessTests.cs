using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

public class RepetitivenessTests
{
    private static double NaiveRatio(string s)
    {
        int n = s.Length;
        if (n <= 1) return 0;
        var suffixes = Enumerable.Range(0, n).Select(i => s[i..]).Order(StringComparer.Ordinal).ToList();
        long sum = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            int k = 0;
            while (k < suffixes[i].Length && k < suffixes[i + 1].Length && suffixes[i][k] == suffixes[i + 1][k]) k++;
            sum += k;
        }
        return sum * 2.0 / ((double)n * (n + 1));
    }

    [Test]
    public void MatchesNaiveSuffixSortOnRandomStrings()
    {
        var rng = new Random(5);
        for (int t = 0; t < 300; t++)
        {
            int n = rng.Next(0, 60);
            var s = new string(Enumerable.Range(0, n).Select(_ => "ab{}1"[rng.Next(rng.Next(1, 6))]).ToArray());
            Assert.That(Repetitiveness.Ratio(s), Is.EqualTo(NaiveRatio(s)).Within(1e-12), s);
        }
    }

    [Test]
    public void RepeatedTextIsRepetitiveAndVariedTextIsNot()
    {
        Assert.That(Repetitiveness.IsRepetitive(string.Concat(Enumerable.Repeat("\\frac{1}{2}", 20))), Is.True);
        Assert.That(Repetitiveness.IsRepetitive("\\frac{\\sqrt{21}}{5} + 3x^2 - 17y_{1} \\cdot \\pi"), Is.False);
        Assert.That(Repetitiveness.IsLongAndRepetitive("1111111111"), Is.False, "short strings are never rejected");
    }

    [Test]
    public void LargeInput_RatioOfOneRepeatedLetter()
    {
        // n copies of one letter: the sorted suffixes are a, aa, aaa, ... and neighbours share k = 1 .. n-1 letters, so
        // the ratio is 2 * n(n-1)/2 / (n(n+1)) = (n-1)/(n+1). Its time budget is in the `checker-budgets` benchmark.
        const int n = 50000;
        var s = new string('a', n);
        Assert.That(Repetitiveness.Ratio(s), Is.EqualTo((n - 1) / (double)(n + 1)).Within(1e-12));
        Assert.That(Repetitiveness.IsRepetitive(s), Is.True);
    }
}
