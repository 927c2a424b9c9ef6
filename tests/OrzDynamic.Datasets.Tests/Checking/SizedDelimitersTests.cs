using NUnit.Framework;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Datasets.Tests.Checking;

public class SizedDelimitersTests
{
    [TestCase("\\left(5\\right)", "5")]
    [TestCase("  \\left( 5 \\right) ", "5")]
    [TestCase("\\left(\\left(5\\right)\\right)", "5")]
    [TestCase("\\bigl(\\text{(C)}\\bigr)", "\\text{(C)}")]
    [TestCase("\\Big( 1 \\pm 2 \\Big)", "1 \\pm 2")]
    [TestCase("\\left((8,-2)\\right)", "(8,-2)")]
    [TestCase("\\left(1,2\\right)", "(1,2)")]                     // a tuple keeps its parentheses
    [TestCase("\\left(1{,}000\\right)", "1{,}000")]                // a comma inside braces is not a separator
    [TestCase("\\left(1\\,000\\right)", "1\\,000")]                // \, is a space, not a comma
    [TestCase("\\left(a\\right)\\left(b\\right)", "(a)(b)")]        // two groups, not one wrapper
    [TestCase("\\left(3\\right)^2", "(3)^2")]
    [TestCase("\\left[0,1\\right)", "[0,1)")]
    [TestCase("\\left[5\\right]", "[5]")]                          // only parentheses are grouping
    [TestCase("\\left\\{1,2\\right\\}", "\\{1,2\\}")]
    [TestCase("\\left. x \\right|_{0}", " x |_{0}")]
    [TestCase("x \\leftarrow y \\Rightarrow z \\bigcup w", "x \\leftarrow y \\Rightarrow z \\bigcup w")]
    [TestCase("\\left\\lvert x \\right\\rvert", "\\lvert x \\rvert")]
    [TestCase("\\left( a ) + ( b \\right)", "( a ) + ( b )")]
    [TestCase("\\\\left(5\\right)", "\\\\left(5)")]                  // \\ is a line break, not an escape of \left
    public void Normalizes(string input, string expected) => Assert.That(SizedDelimiters.Normalize(input), Is.EqualTo(expected));

    [TestCase("\\left(1\\right)", true)]
    [TestCase("\\Bigr]", true)]
    [TestCase("\\leftarrow", false)]
    [TestCase("\\bigcup", false)]
    [TestCase("(1)", false)]
    public void DetectsSizing(string input, bool expected) => Assert.That(SizedDelimiters.ContainsSizing(input), Is.EqualTo(expected));
}
