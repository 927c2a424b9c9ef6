using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>How a C# block of the documentation is checked.</summary>
internal enum DocSnippetKind
{
    /// <summary>A whole Program.cs: compiled against the packages.</summary>
    Complete,

    /// <summary>A whole Program.cs (info string <c>csharp runnable</c>): compiled, then run from the repository root.</summary>
    Runnable,

    /// <summary>Part of a program, marked by a first line <c>// fragment…</c>: not compiled.</summary>
    Fragment,
}

/// <summary>
/// One fenced C# block (<c>```csharp</c>, <c>```cs</c>, <c>```c#</c>) of a Markdown file: where it is, how it is checked
/// and its code, as a reader would paste it.
/// </summary>
internal sealed partial record DocSnippet(string File, int Line, DocSnippetKind Kind, string Code)
{
    /// <summary>The Markdown files whose C# blocks must compile: README.md, docs/, each project's PACKAGE.md and its other pages.</summary>
    public static IReadOnlyList<string> DocumentFiles(string repoRoot)
    {
        var files = new List<string> { Path.Combine(repoRoot, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(repoRoot, "docs"), "*.md"));
        foreach (var project in Directory.GetDirectories(repoRoot, "OrzDynamic.*").Concat(Directory.GetDirectories(Path.Combine(repoRoot, "samples"))))
            files.AddRange(Directory.GetFiles(project, "*.md"));
        return files.Select(Path.GetFullPath).Distinct().Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every C# block of <see cref="DocumentFiles"/>, in file and line order.</summary>
    public static IReadOnlyList<DocSnippet> All(string repoRoot) =>
        DocumentFiles(repoRoot).SelectMany(f => Extract(Path.GetRelativePath(repoRoot, f).Replace('\\', '/'), System.IO.File.ReadAllText(f))).ToArray();

    /// <summary>The C# blocks of one Markdown text.</summary>
    public static IEnumerable<DocSnippet> Extract(string file, string markdown)
    {
        var lines = markdown.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success) continue;
            var indent = open.Groups["indent"].Value.Length;
            var language = open.Groups["lang"].Value;
            var info = open.Groups["info"].Value;
            int start = i + 1, end = start;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            i = end;
            if (language is not ("csharp" or "cs" or "c#")) continue;
            var code = string.Join("\n", lines[start..Math.Min(end, lines.Length)].Select(l => l.Length >= indent && l[..indent].Trim().Length == 0 ? l[indent..] : l.TrimStart()));
            var first = code.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
            var kind = first.StartsWith("// fragment", StringComparison.OrdinalIgnoreCase) ? DocSnippetKind.Fragment
                : info.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("runnable") ? DocSnippetKind.Runnable
                : DocSnippetKind.Complete;
            yield return new DocSnippet(file, start, kind, code + "\n");
        }
    }

    /// <summary>Where the block is, as <c>file:line</c> of its fence.</summary>
    public override string ToString() => $"{File}:{Line}";

    [GeneratedRegex(@"^(?<indent>\s*)```(?<lang>[A-Za-z#+]*)(?<info>.*)$")]
    private static partial Regex Fence();
}
