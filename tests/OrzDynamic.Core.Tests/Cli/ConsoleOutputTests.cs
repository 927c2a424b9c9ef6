using NUnit.Framework;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>
/// The CLI's console output when redirected to a file (as in CI logs and Slurm .out files): the embedded demo with no
/// arguments, NO_COLOR unset and an 80-column COLUMNS, must give plain text with unwrapped tables and paths.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class ConsoleOutputTests
{
    private static readonly Dictionary<string, string?> Redirected = new() { ["NO_COLOR"] = null, ["COLUMNS"] = "80" };
    private TempDirectory _tmp = null!;
    private CliRunner _cli = null!;
    private string[] _lines = [];
    private string _stderr = "";

    [OneTimeSetUp]
    public void RunDemo()
    {
        _tmp = new TempDirectory();
        _cli = new CliRunner(_tmp.Path);
        var (code, stdout, err) = _cli.Run([], Redirected);
        Assert.That(code, Is.Zero, stdout + err);
        _lines = stdout.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        _stderr = err;
    }

    [OneTimeTearDown]
    public void Clean() => _tmp?.Dispose();

    [Test]
    public void Redirected_NoEscapeBytes()
    {
        var withEsc = _lines.Where(l => l.Contains('\u001b', StringComparison.Ordinal)).ToArray();
        Assert.That(withEsc, Is.Empty, "ANSI codes in redirected output");
        Assert.That(_stderr.Count(c => c == '\u001b'), Is.Zero, "ANSI codes in redirected standard error");
    }

    [Test]
    public void Redirected_TablesAreNotWrapped_NoLineLongerThanTheLongestTableRow()
    {
        var tableRows = _lines.Where(l => l.StartsWith('│') || l.StartsWith('┌')).ToArray();
        Assert.That(tableRows, Has.Length.GreaterThan(10), "the demo prints its tables");
        int widest = tableRows.Max(l => l.TrimEnd().Length);
        Assert.That(widest, Is.GreaterThan(80), "COLUMNS=80 is not applied to redirected output");
        Assert.That(_lines.Where(l => l.TrimEnd().Length > widest), Is.Empty);
        // A wrapped table has continuation rows whose first cell is empty.
        Assert.That(tableRows.Where(l => l.StartsWith("│ ", StringComparison.Ordinal) && l[1..].TrimStart().StartsWith('│')), Is.Empty, "wrapped cells");
        var headers = _lines.Where(l => l.Contains("dataset", StringComparison.Ordinal) && l.StartsWith('│')).ToArray();
        Assert.That(headers, Is.Not.Empty);
        Assert.That(headers, Has.All.Contain("skipped (too long)").Or.Contain("metric / stratum"), "headers are whole");
    }

    [Test]
    public void Redirected_EveryPrintedPathIsWholeOnOneLine()
    {
        var paths = _lines.Select(l => l.Split(" : ", 2)).Where(p => p.Length == 2 && p[0].StartsWith("  ", StringComparison.Ordinal))
            .Select(p => p[1].Trim()).ToArray();
        Assert.That(paths, Has.Length.GreaterThan(5));
        foreach (var p in paths)
            Assert.That(File.Exists(Path.IsPathRooted(p) ? p : Path.Combine(_tmp.Path, p)), Is.True, $"printed path '{p}' is not a file");
    }

    [Test]
    public void Redirected_ProgressIsOneLinePerMilestone_BannerOnlyWithoutArguments_ResumeOnTheConsole_AllComparisons()
    {
        Assert.That(_lines, Has.Some.StartWith("No arguments: running the embedded demo"));
        var progress = _lines.Where(l => l.StartsWith("[1/3] iter0 · ", StringComparison.Ordinal)).ToArray();
        Assert.That(progress, Has.Length.InRange(3, 8), string.Join("\n", progress));
        Assert.That(progress[^1], Does.Contain("done"));
        Assert.That(_lines, Has.Some.StartWith("Selected 40 samples"), "the selection decision is on the console");

        // The same demo again, now with an option: it resumes, says so, and the no-arguments banner is gone.
        Assert.That(_lines, Has.None.Contain("All testable changes"), "by default only the significant changes are listed");
        var (code, stdout, err) = _cli.Run(["--max_eval_samples", "40", "--all_comparisons"], Redirected);
        Assert.That(code, Is.Zero, stdout + err);
        Assert.That(stdout, Does.Not.Contain("No arguments"));
        Assert.That(stdout, Does.Contain("Running the embedded demo with the options given"));
        Assert.That(stdout.Split('\n').Where(l => l.StartsWith("Resuming: 40 of 40 samples", StringComparison.Ordinal)).ToArray(), Has.Length.EqualTo(3),
            "one resume line per checkpoint");
        Assert.That(stdout, Does.Contain("All testable changes between checkpoints"), "--all_comparisons lists every testable row");
    }
}
