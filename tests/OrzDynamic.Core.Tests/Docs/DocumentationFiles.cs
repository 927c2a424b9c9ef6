using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Docs;

/// <summary>
/// The prose documentation of the repository: README.md, docs/*.md, each package's PACKAGE.md, the README.md of
/// library folders and samples, and OrzDynamic.Plotting/CHARTS.md. Benchmark logs (samples/*/RESULTS-*.md) and
/// OrzDynamic.Datasets/CHECKER.md (a case-by-case comparison table) are not in the set.
/// </summary>
internal static class DocumentationFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Paths relative to the repository root ('/'-separated), sorted.</summary>
    public static IReadOnlyList<string> All()
    {
        var files = new List<string> { "README.md", "OrzDynamic.Plotting/CHARTS.md" };
        files.AddRange(Below("docs", "*.md", SearchOption.TopDirectoryOnly));
        foreach (var library in Directory.GetDirectories(RepoRoot, "OrzDynamic.*"))
        {
            var name = Path.GetFileName(library);
            files.AddRange(Below(name, "PACKAGE.md", SearchOption.TopDirectoryOnly));
            files.AddRange(Below(name, "README.md", SearchOption.AllDirectories));
        }
        files.AddRange(Below("samples", "README.md", SearchOption.AllDirectories));
        return files.Where(f => File.Exists(Path.Combine(RepoRoot, f))).Where(f => !f.Contains("/bin/", StringComparison.Ordinal)
            && !f.Contains("/obj/", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    public static string Read(string relative) => File.ReadAllText(Path.Combine(RepoRoot, relative));

    private static IEnumerable<string> Below(string dir, string pattern, SearchOption option)
    {
        var full = Path.Combine(RepoRoot, dir);
        return Directory.Exists(full)
            ? Directory.EnumerateFiles(full, pattern, option).Select(f => Path.GetRelativePath(RepoRoot, f).Replace(Path.DirectorySeparatorChar, '/'))
            : [];
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "OrzDynamic.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root (OrzDynamic.sln) not found above " + AppContext.BaseDirectory);
        return dir!.FullName;
    }
}
