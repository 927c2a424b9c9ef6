using System.Text.RegularExpressions;
using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Docs;

/// <summary>
/// The README stays a landing page, the documentation describes the product (not the history of its making), and
/// every relative link in it leads to an existing file (and, for a '#fragment' into a markdown file, to a heading).
/// </summary>
[TestFixture]
public partial class DocumentationHygieneTests
{
    /// <summary>Phrases that narrate how the project was made rather than what it does.</summary>
    private static readonly string[] WorkHistoryPatterns =
    [
        @"\bthe brief\b", @"\bthis round\b", @"\bround's\b", @"\bround\b(?!-)", @"\bstop\b(?!-)", @"\b(first|second|third|fourth|last|this) stop\b",
        @"\bthe issue\b", @"\bissue's\b", @"\bI (believe|think|have|had|measured|tried|found|did)\b", @"\bhave not measured\b",
        @"\bbefore this change\b", @"\bthis change\b", @"\bat the time of\b", @"\bthe old (path|default|version)\b",
        @"\bno longer\b", @"\bnow (reports|uses|takes|has|keeps)\b", @"\bwhen this was decided\b", @"\bmerged on main\b",
    ];

    [Test]
    public void ReadmeIsALandingPageOfAtMost250Lines()
    {
        var lines = File.ReadAllLines(Path.Combine(DocumentationFiles.RepoRoot, "README.md")).Length;
        TestContext.Out.WriteLine($"README.md: {lines} lines");
        Assert.That(lines, Is.InRange(40, 250));
    }

    [Test]
    public void ReadmeKeepsTheTwoSetUpCommandsThatCiRuns()
    {
        var readme = DocumentationFiles.Read("README.md");
        var setUp = Regex.Match(readme, @"## Set-up[^\n]*\n+```bash\n(?<block>.*?)```", RegexOptions.Singleline);
        Assert.That(setUp.Success, Is.True, "README.md has a '## Set-up' section with a bash block");
        var commands = setUp.Groups["block"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToArray();
        Assert.That(commands, Is.EqualTo(new[] { "dotnet run --project samples/OrzDynamic.Cli", "dotnet test" }));
        var ci = File.ReadAllText(Path.Combine(DocumentationFiles.RepoRoot, ".ci", "run"));
        Assert.That(ci, Does.Match(@"(?m)^dotnet test\b"), ".ci/run runs the README's test command");
    }

    [Test]
    public void EveryDocsPageIsLinkedFromTheReadme()
    {
        var readme = DocumentationFiles.Read("README.md");
        var pages = DocumentationFiles.All().Where(f => f.StartsWith("docs/", StringComparison.Ordinal)).ToArray();
        Assert.That(pages, Has.Length.GreaterThanOrEqualTo(10), "pages in docs/");
        Assert.That(pages.Where(p => !readme.Contains($"]({p})", StringComparison.Ordinal)), Is.Empty, "docs/ pages the README does not link");
    }

    [Test]
    public void DocumentationHasNoWorkHistoryPhrases()
    {
        var files = DocumentationFiles.All();
        Assert.That(files, Does.Contain("README.md").And.Contain("docs/cli.md").And.Contain("OrzDynamic.Core/PACKAGE.md"));
        var hits = new List<string>();
        foreach (var file in files)
        {
            var lines = DocumentationFiles.Read(file).Split('\n');
            for (var i = 0; i < lines.Length; i++)
                foreach (var pattern in WorkHistoryPatterns)
                    if (Regex.Match(lines[i], pattern, RegexOptions.IgnoreCase) is { Success: true } m)
                        hits.Add($"{file}:{i + 1}: '{m.Value}'");
        }
        TestContext.Out.WriteLine($"{files.Count} files checked for {WorkHistoryPatterns.Length} patterns");
        Assert.That(hits, Is.Empty);
    }

    [Test]
    public void AWorkHistoryPhraseIsFound()
    {
        string[] samples = ["as the brief asks", "measured at the second stop", "I believe, but have not measured", "in the issue's experiment"];
        foreach (var sample in samples)
            Assert.That(WorkHistoryPatterns.Any(p => Regex.IsMatch(sample, p, RegexOptions.IgnoreCase)), Is.True, sample);
        Assert.That(WorkHistoryPatterns.Any(p => Regex.IsMatch("rounds to nearest-even, round-trip precision; stops after the sample", p, RegexOptions.IgnoreCase)), Is.False);
    }

    [Test]
    public void EveryRelativeLinkResolves()
    {
        var files = DocumentationFiles.All();
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var file in files)
        {
            var text = DocumentationFiles.Read(file);
            foreach (Match m in LinkPattern().Matches(WithoutCode(text)))
            {
                var target = m.Groups["target"].Value.Trim();
                if (target.Length == 0 || Regex.IsMatch(target, "^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)) continue; // http:, mailto:, …
                checkedLinks++;
                var hash = target.IndexOf('#', StringComparison.Ordinal);
                var pathPart = hash < 0 ? target : target[..hash];
                var fragment = hash < 0 ? null : target[(hash + 1)..];
                var resolved = pathPart.Length == 0 ? Path.Combine(DocumentationFiles.RepoRoot, file)
                    : Path.GetFullPath(Path.Combine(DocumentationFiles.RepoRoot, Path.GetDirectoryName(file) ?? "", Uri.UnescapeDataString(pathPart)));
                if (!File.Exists(resolved) && !Directory.Exists(resolved))
                    broken.Add($"{file}: ({target}) → no such file");
                else if (fragment is { Length: > 0 } && resolved.EndsWith(".md", StringComparison.Ordinal)
                         && !HeadingAnchors(File.ReadAllText(resolved)).Contains(fragment))
                    broken.Add($"{file}: ({target}) → no heading '#{fragment}'");
            }
        }
        TestContext.Out.WriteLine($"{checkedLinks} relative links checked in {files.Count} files");
        Assert.That(checkedLinks, Is.GreaterThanOrEqualTo(30), "relative links found");
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void HeadingAnchorsFollowGitHub()
    {
        var anchors = HeadingAnchors("# Is the change real? Confidence intervals\n## Models and tokenizers (`OrzDynamic.Core`)\n```\n# not a heading\n```\n");
        Assert.That(anchors, Is.EquivalentTo(new[] { "is-the-change-real-confidence-intervals", "models-and-tokenizers-orzdynamiccore" }));
    }

    /// <summary>GitHub's anchors of the headings of a markdown text (lower case, punctuation dropped, spaces → '-').</summary>
    private static HashSet<string> HeadingAnchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in WithoutCode(markdown).Split('\n'))
        {
            var m = HeadingPattern().Match(line);
            if (!m.Success) continue;
            var text = m.Groups["text"].Value.Trim().ToLowerInvariant();
            var slug = new string(text.Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');
            var unique = slug;
            for (var n = 1; !anchors.Add(unique); n++) unique = $"{slug}-{n}";
        }
        return anchors;
    }

    /// <summary>The text with fenced code blocks blanked out (links and headings inside them do not count).</summary>
    private static string WithoutCode(string markdown) => FencePattern().Replace(markdown, m => new string('\n', m.Value.Count(c => c == '\n')));

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^```.*?^```[^\n]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencePattern();
}
