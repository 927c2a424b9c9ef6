using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Datasets.Checking;
using OrzDynamic.Tests;

namespace OrzDynamic.Datasets.Tests.Checking;

/// <summary>Acceptance: agreement with the Python tool's checker on shared/reference/answers/cases.jsonl.</summary>
public class ReferenceAgreementTests
{
    private sealed record Case(int Line, string Gold, string Output, bool Orz, bool MathVerify);

    private static List<Case> LoadCases()
    {
        var path = SharedData.PathOrIgnore("reference/answers/cases.jsonl");
        var cases = new List<Case>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var doc = JsonDocument.Parse(text);
            var r = doc.RootElement;
            cases.Add(new Case(line, r.GetProperty("gold").GetString()!, r.GetProperty("output").GetString()!,
                r.GetProperty("orz").GetBoolean(), r.GetProperty("math_verify").GetBoolean()));
        }
        return cases;
    }

    [Test]
    public void AgreesWithOrzCheckerOnAtLeast98Percent()
    {
        var cases = LoadCases();
        Assert.That(cases, Has.Count.EqualTo(300));
        var checker = new OrzAnswerChecker(TimeSpan.FromSeconds(5));
        int agreeOrz = 0, agreeMv = 0, agreeBaseline = 0;
        var unexplained = new List<int>();
        var stages = new Dictionary<AnswerCheckStage, int>();
        foreach (var c in cases)
        {
            var r = checker.Check(c.Gold, c.Output);
            stages[r.Stage] = stages.GetValueOrDefault(r.Stage) + 1;
            if (r.IsCorrect == c.Orz) agreeOrz++;
            else if (!IsDocumentedImprovement(c, r.IsCorrect)) unexplained.Add(c.Line);
            if (r.IsCorrect != c.Orz) TestContext.Out.WriteLine($"DISAGREE(orz) line {c.Line}: ours={r.IsCorrect} orz={c.Orz} stage={r.Stage} gold=[{c.Gold}] extracted=[{r.ExtractedAnswer}] output=[{c.Output}]");
            if (r.IsCorrect == c.MathVerify) agreeMv++;
            else TestContext.Out.WriteLine($"differs(math_verify) line {c.Line}: ours={r.IsCorrect} math_verify={c.MathVerify} gold=[{c.Gold}] extracted=[{r.ExtractedAnswer}]");
            // Baseline for context: the MATH string normalisation alone (no expression parsing, no Minerva step).
            bool baseline = MathNormalizer.IsEquivalent(AnswerExtraction.SolutionToAnswer(c.Gold),
                AnswerExtraction.SolutionToAnswer(AnswerExtraction.ExtractFinalAnswer(c.Output)));
            if (baseline == c.Orz) agreeBaseline++;
        }
        double orz = agreeOrz / (double)cases.Count, mv = agreeMv / (double)cases.Count;
        TestContext.Out.WriteLine($"Agreement with orz (Python ORZ checker): {agreeOrz}/{cases.Count} = {orz:P2}");
        TestContext.Out.WriteLine($"Agreement with math_verify (HF Math-Verify, informational): {agreeMv}/{cases.Count} = {mv:P2}");
        TestContext.Out.WriteLine($"Baseline (MATH normalisation only) agreement with orz: {agreeBaseline}/{cases.Count} = {agreeBaseline / (double)cases.Count:P2}");
        TestContext.Out.WriteLine("Deciding stages: " + string.Join(", ", stages.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}")));
        Assert.That(orz, Is.GreaterThanOrEqualTo(0.98));
        Assert.That(unexplained, Is.Empty, "disagreements with the Python tool that CHECKER.md does not list");
    }

    [Test]
    public void MathChecker_AgreesWithMathVerifyVerdicts()
    {
        var cases = LoadCases();
        // The reference verdicts judge the answer inside the ORZ answer tags (and the golds are bare answers), so the
        // checker reads only those two sources here.
        var checker = new MathAnswerChecker(TimeSpan.FromSeconds(5)) { Sources = [AnswerSource.AnswerTags, AnswerSource.WholeText] };
        int agree = 0;
        var falseAccepts = new List<int>();
        foreach (var c in cases)
        {
            var r = checker.Check(c.Gold, c.Output);
            if (r.IsCorrect == c.MathVerify) agree++;
            else
            {
                if (r.IsCorrect) falseAccepts.Add(c.Line);
                TestContext.Out.WriteLine($"differs(math_verify) line {c.Line}: ours={r.IsCorrect} math_verify={c.MathVerify} stage={r.Stage} gold=[{c.Gold}] extracted=[{r.ExtractedAnswer}] output=[{c.Output}]");
            }
        }
        TestContext.Out.WriteLine($"math checker vs math_verify: {agree}/{cases.Count} = {agree / (double)cases.Count:P2}");
        Assert.That(agree / (double)cases.Count, Is.GreaterThanOrEqualTo(0.95));
        // The only accepted answers Math-Verify rejects are the documented kind: mathematics inside a text wrapper.
        Assert.That(falseAccepts.Where(line => !cases.Single(c => c.Line == line).Output.Contains("\\text{", StringComparison.Ordinal)), Is.Empty);
    }

    /// <summary>
    /// The one documented kind of disagreement (CHECKER.md, issue 12): a right answer wrapped in <c>\left( … \right)</c>
    /// that the Python tool rejects because its unit stripping turns <c>\left(</c> into <c>\le(</c>; Math-Verify accepts it.
    /// </summary>
    private static bool IsDocumentedImprovement(Case c, bool ours)
        => ours && !c.Orz && c.MathVerify && c.Output.Contains("\\left(", StringComparison.Ordinal);
}
