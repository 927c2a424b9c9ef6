using NUnit.Framework;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Tests.Checking;

public class LatexParserTests
{
    private static double Value(string latex, params (string, double)[] vars)
        => ExpressionEvaluator.Evaluate(LatexParser.Parse(latex), vars.ToDictionary(v => v.Item1, v => v.Item2));

    [TestCase("1+2*3", 7)]
    [TestCase("2^10", 0)] // TeX takes one token as exponent: 2^1 · 0
    [TestCase("(1+2)\\cdot 3", 9)]
    [TestCase("6 \\times 7", 42)]
    [TestCase("7 \\div 2", 3.5)]
    [TestCase("\\frac{28}{6}", 28.0 / 6)]
    [TestCase("\\dfrac{1}{4}", 0.25)]
    [TestCase("\\frac 34", 0.75)]
    [TestCase("\\frac34", 0.75)]
    [TestCase("\\sqrt{16}", 4)]
    [TestCase("\\sqrt[3]{27}", 3)]
    [TestCase("\\sqrt[3]{-8}", -2)]
    [TestCase("2\\sqrt2", 2.8284271247461903)]
    [TestCase("--5", 5)]
    [TestCase("-2^2", -4)]
    [TestCase("2^{-1}", 0.5)]
    [TestCase("5!", 120)]
    [TestCase("|-3|", 3)]
    [TestCase("\\left(3\\right)", 3)]
    [TestCase("[2+1]", 3)]
    [TestCase("\\pi", Math.PI)]
    [TestCase("2\\pi", 2 * Math.PI)]
    [TestCase("\\sin(0)", 0)]
    [TestCase("\\log_2 8", 3)]
    [TestCase("\\ln 1", 0)]
    [TestCase("3.25", 3.25)]
    [TestCase(".5", 0.5)]
    [TestCase("75^\\circ", 75)]
    [TestCase("1\\,000", 0)] // 1 · 000: a thin space is only spacing
    public void EvaluatesNumbers(string latex, double expected)
    {
        Assert.That(Value(latex), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void ImplicitMultiplicationAndVariables()
    {
        Assert.That(Value("2xy", ("x", 3), ("y", 5)), Is.EqualTo(30));
        Assert.That(Value("a/bc", ("a", 12), ("b", 2), ("c", 3)), Is.EqualTo(2), "implicit product binds tighter than /");
        Assert.That(Value("x_1 + x_{2}", ("x_{1}", 1), ("x_{2}", 2)), Is.EqualTo(3));
        Assert.That(Value("\\alpha^2", ("\\alpha", 3)), Is.EqualTo(9));
        Assert.That(Value("\\cot x", ("x", 1)), Is.EqualTo(1 / Math.Tan(1)).Within(1e-12));
    }

    [Test]
    public void TuplesIntervalsAndRelations()
    {
        var t = (TupleExpression)LatexParser.Parse("(3,4]");
        Assert.That((t.Open, t.Close, t.Items.Count), Is.EqualTo(('(', ']', 2)));
        var bare = (TupleExpression)LatexParser.Parse("-2, 1");
        Assert.That(bare.Open, Is.EqualTo('\0'));
        var nested = (TupleExpression)LatexParser.Parse("((8,-2))");
        Assert.That(nested.Items.Single(), Is.InstanceOf<TupleExpression>(), "brackets around a tuple are kept");
        var rel = (RelationExpression)LatexParser.Parse("y = 2x + 3");
        Assert.That(rel.Operator, Is.EqualTo("="));
        Assert.That(((RelationExpression)LatexParser.Parse("x \\le 3")).Operator, Is.EqualTo("<="));
        Assert.That(((RelationExpression)LatexParser.Parse("x >= 3")).Operator, Is.EqualTo(">="));
    }

    [TestCase("")]
    [TestCase("\\text{5}")]
    [TestCase("5\\%")]
    [TestCase("\\$5")]
    [TestCase("\\pm")]
    [TestCase("1 \\pm")]
    [TestCase("(0,9) \\cup (9,36)")]
    [TestCase("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}")]
    [TestCase("204_5")]
    [TestCase("\\frac{2{3}}")]
    [TestCase("\\le(18.90)")]
    [TestCase("(5x = 0)")]
    [TestCase("-(1,2)")]
    [TestCase("(1,2)+1")]
    [TestCase("(3]")]
    [TestCase("1 < x < 2")]
    [TestCase("x \\in [1,2]")]
    [TestCase("\\sqrt")]
    [TestCase("2+")]
    public void RejectsUnsupportedOrMalformedInput(string latex)
        => Assert.That(() => LatexParser.Parse(latex), Throws.TypeOf<LatexParseException>());

    [Test]
    public void PlusMinusIsAdditionOfAFormalSign()
    {
        var sign = new PlusMinusSignExpression();
        Assert.That(LatexParser.Parse("1 \\pm \\sqrt{19}"), Is.EqualTo(new BinaryExpression(BinaryOperator.Add, new NumberExpression(1),
            new BinaryExpression(BinaryOperator.Multiply, sign, new RootExpression(new NumberExpression(19), null)))));
        Assert.That(LatexParser.Parse("1 \\mp 2"), Is.EqualTo(new BinaryExpression(BinaryOperator.Subtract, new NumberExpression(1),
            new BinaryExpression(BinaryOperator.Multiply, sign, new NumberExpression(2)))));
        Assert.That(LatexParser.Parse("\\pm 3"), Is.EqualTo(new BinaryExpression(BinaryOperator.Multiply, sign, new NumberExpression(3))));
        var at = (double s) => new Dictionary<string, double> { [PlusMinusSignExpression.VariableName] = s };
        Assert.That(ExpressionEvaluator.Evaluate(LatexParser.Parse("3 \\pm 2\\cdot 2"), at(1)), Is.EqualTo(7));
        Assert.That(ExpressionEvaluator.Evaluate(LatexParser.Parse("3 \\pm 2\\cdot 2"), at(-1)), Is.EqualTo(-1));
        Assert.That(ExpressionEvaluator.Evaluate(LatexParser.Parse("\\mp 2"), at(1)), Is.EqualTo(-2));
    }

    [Test]
    public void SizeAndDepthAreBounded()
    {
        Assert.That(() => LatexParser.Parse(new string('1', LatexParser.MaxInputLength + 1)), Throws.TypeOf<LatexParseException>().With.Message.Contains("longer"));
        var deep = new string('(', 150) + "1" + new string(')', 150);
        Assert.That(() => LatexParser.Parse(deep), Throws.TypeOf<LatexParseException>().With.Message.Contains("deep"));
    }

    [Test]
    public void CancellationIsObserved()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.That(() => LatexParser.Parse("1+2", cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }
}
