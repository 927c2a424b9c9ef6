using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Docs;

/// <summary>
/// Every figure of the embedded demo that the documentation (README.md, docs/, folder READMEs) quotes is marked (see <see cref="DemoFigure"/>) and must
/// equal what the demo writes. The demo's outputs are read from tests/golden/probe: the embedded demo run with
/// <c>--probe_answers_from last</c>, whose files GoldenOutputTests keeps byte-identical to what the CLI writes. A plain
/// demo run (no arguments) writes the same results.jsonl, summary.json and comparisons files; its trends.csv is the
/// first part of the probe run's.
/// </summary>
[TestFixture]
public class DemoFiguresInDocsTests
{
    private static string DemoOutput => Path.Combine(DocumentationFiles.RepoRoot, "tests", "golden", "probe");

    [Test]
    public void EveryMarkedDemoFigureEqualsTheDemoOutput()
    {
        var figures = DocumentationFiles.All()
            .SelectMany(f => DemoFigure.Parse(f, DocumentationFiles.Read(f))).ToArray();
        var wrong = new List<string>();
        foreach (var figure in figures)
        {
            var actual = figure.Actual(DemoOutput);
            if (!figure.Matches(actual))
                wrong.Add($"{figure.Where}: '{figure.Written}' but the demo gives {actual:R} ({figure.Source} {figure.Selector})");
        }
        TestContext.Out.WriteLine($"{figures.Length} demo figures checked in {figures.Select(f => f.File).Distinct().Count()} files");
        Assert.That(figures, Has.Length.GreaterThanOrEqualTo(40), "marked demo figures in the documentation");
        Assert.That(figures.Select(f => f.File).Distinct(), Does.Contain("README.md").And.Contain("docs/statistics.md").And.Contain("docs/probes.md"));
        Assert.That(wrong, Is.Empty, "figures that differ from the demo's output");
    }

    [Test]
    public void AWrongFigureIsReported()
    {
        const string page = "accuracy 46 %<!-- demo: iter1200/summary.json results -> arith_demo/accuracy ×100 --> and "
            + "45 %<!-- demo: iter1200/summary.json results -> arith_demo/accuracy ×100 -->";
        var figures = DemoFigure.Parse("page.md", page);
        Assert.That(figures, Has.Count.EqualTo(2));
        Assert.That(figures.Select(f => f.Matches(f.Actual(DemoOutput))), Is.EqualTo(new[] { false, true }));
    }

    [TestCase("0.0299", 0.029910108903351076, true)]
    [TestCase("0.0298", 0.029910108903351076, false)]
    [TestCase("−2.03", -2.026290067194119, true)]
    [TestCase("−2.02", -2.026290067194119, false)]
    [TestCase("7.6e-6", 7.629394531249545E-06, true)]
    [TestCase("7.7e-6", 7.629394531249545E-06, false)]
    [TestCase("100", 100.0, true)]
    [TestCase("99", 100.0, false)]
    public void AFigureMatchesTheValueRoundedToItsOwnDigits(string written, double value, bool matches)
    {
        var figure = DemoFigure.Parse("page.md", written + "<!-- demo: x.json a -->").Single();
        Assert.That(figure.Matches(value), Is.EqualTo(matches));
    }

    [Test]
    public void SelectorsThatDoNotPickOneValueAreErrors()
    {
        string[] pages =
        [
            "1<!-- demo: iter1200/summary.json results -> no_such_key -->",
            "1<!-- demo: comparisons.csv metric=accuracy -> p -->",           // three rows
            "1<!-- demo: comparisons.csv metric=no_such_metric -> p -->",     // no row
            "1<!-- demo: no_such_file.json results -->",
        ];
        foreach (var page in pages)
            Assert.Throws<FormatException>(() => DemoFigure.Parse("page.md", page).Single().Actual(DemoOutput), page);
        Assert.Throws<FormatException>(() => DemoFigure.Parse("page.md", "text <!-- demo: iter1200/summary.json results -->"));
    }
}
