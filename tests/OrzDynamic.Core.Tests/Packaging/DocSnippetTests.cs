using NUnit.Framework;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>
/// The C# blocks of README.md, docs/ and the package pages compile as a reader pastes them: every block not marked
/// <c>// fragment</c> becomes the Program.cs of its own console app (the <c>dotnet new console</c> defaults, warnings as
/// errors) that references only the packed packages from the local feed and the native TorchSharp package; blocks
/// marked <c>```csharp runnable</c> then run from a directory that holds the repository's samples/, so their paths
/// name the demo checkpoints and data.
/// </summary>
[TestFixture, NonParallelizable, Category("Packaging")]
public sealed class DocSnippetTests
{
    private static readonly IReadOnlyList<DocSnippet> Snippets = DocSnippet.All(LocalFeed.RepoRoot);
    private static readonly IReadOnlyList<DocSnippet> Compiled = Snippets.Where(s => s.Kind != DocSnippetKind.Fragment).ToArray();
    private TempDirectory _tmp = null!;
    private string _buildOutput = "";

    private static IEnumerable<TestCaseData> CompiledCases() =>
        Compiled.Select((s, i) => new TestCaseData(i).SetArgDisplayNames(s.ToString()));

    private static IEnumerable<TestCaseData> RunnableCases() =>
        Compiled.Select((s, i) => (s, i)).Where(p => p.s.Kind == DocSnippetKind.Runnable).Select(p => new TestCaseData(p.i).SetArgDisplayNames(p.s.ToString()));

    private static string ProjectName(int index) => "Snippet" + index.ToString("00", System.Globalization.CultureInfo.InvariantCulture);

    private string ProjectDir(int index) => _tmp.Sub(ProjectName(index));

    [OneTimeSetUp]
    public void BuildAll()
    {
        _tmp = new TempDirectory();
        if (Compiled.Count == 0) return;
        LocalFeed.WithLibraries();
        LocalFeed.WriteNugetConfig(_tmp.Path);
        LocalFeed.IsolateFromRepository(_tmp.Path);
        var references = string.Concat(LocalFeed.Libraries.Select(l => $"""<PackageReference Include="{l}" Version="{LocalFeed.Version}" />"""))
            + $"""<PackageReference Include="{LocalFeed.NativePackage}" Version="{LocalFeed.TorchSharpVersion}" />""";
        var solution = new System.Text.StringBuilder("<Solution>\n");
        for (int i = 0; i < Compiled.Count; i++)
        {
            var dir = ProjectDir(i);
            Directory.CreateDirectory(dir);
            // Compile-only blocks skip copying the native packages into bin/; runnable ones get hard links where possible.
            var runnable = Compiled[i].Kind == DocSnippetKind.Runnable;
            File.WriteAllText(Path.Combine(dir, ProjectName(i) + ".csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                    <CopyLocalLockFileAssemblies>{(runnable ? "true" : "false")}</CopyLocalLockFileAssemblies>
                    <CreateHardLinksForCopyLocalIfPossible>true</CreateHardLinksForCopyLocalIfPossible>
                  </PropertyGroup>
                  <ItemGroup>{references}</ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(dir, "Program.cs"), Compiled[i].Code);
            solution.Append(System.Globalization.CultureInfo.InvariantCulture, $"  <Project Path=\"{ProjectName(i)}/{ProjectName(i)}.csproj\" />\n");
        }
        File.WriteAllText(_tmp.Sub("snippets.slnx"), solution.Append("</Solution>\n").ToString());
        // One build of all blocks; a block that does not compile fails only its own test case below.
        (_, _buildOutput) = LocalFeed.TryRun("dotnet", ["build", _tmp.Sub("snippets.slnx"), "-c", "Release"], _tmp.Path, 1200);
    }

    [OneTimeTearDown]
    public void Clean() => _tmp?.Dispose();

    [Test]
    public void Documentation_HasCompleteAndRunnableBlocks_EveryOtherBlockIsAMarkedFragment()
    {
        Assert.That(Compiled, Is.Not.Empty, "no complete C# block found in " + string.Join(", ", DocSnippet.DocumentFiles(LocalFeed.RepoRoot)));
        Assert.That(Compiled.Count(s => s.Kind == DocSnippetKind.Runnable), Is.GreaterThanOrEqualTo(1), "runnable blocks");
        TestContext.Out.WriteLine($"{Snippets.Count} C# blocks: {Compiled.Count} compiled ({Compiled.Count(s => s.Kind == DocSnippetKind.Runnable)} also run), "
            + $"{Snippets.Count - Compiled.Count} fragments");
        // The package pages and the README's first example are whole programs.
        foreach (var page in new[] { "README.md", "OrzDynamic.Core/PACKAGE.md", "OrzDynamic.Metrics/PACKAGE.md", "OrzDynamic.Datasets/PACKAGE.md", "OrzDynamic.Plotting/PACKAGE.md" })
            Assert.That(Compiled.Any(s => s.File == page), Is.True, $"{page} has a complete C# block");
    }

    [TestCaseSource(nameof(CompiledCases))]
    public void Block_Compiles(int index)
    {
        var name = ProjectName(index);
        var errors = _buildOutput.Split('\n').Where(l => l.Contains($"{name}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            && (l.Contains(": error ", StringComparison.Ordinal) || l.Contains(": warning ", StringComparison.Ordinal))).Distinct().ToArray();
        var dll = Path.Combine(ProjectDir(index), "bin", "Release", "net10.0", name + ".dll");
        Assert.That(errors, Is.Empty, $"{Compiled[index]} does not compile:\n{Compiled[index].Code}");
        Assert.That(File.Exists(dll), Is.True, $"{Compiled[index]}: no {dll}\n{_buildOutput}");
    }

    [TestCaseSource(nameof(RunnableCases))]
    public void Block_RunsOnTheDemo(int index)
    {
        Block_Compiles(index);
        var work = _tmp.Sub("run-" + ProjectName(index));
        Directory.CreateDirectory(work);
        Directory.CreateSymbolicLink(Path.Combine(work, "samples"), Path.Combine(LocalFeed.RepoRoot, "samples"));
        var dll = Path.Combine(ProjectDir(index), "bin", "Release", "net10.0", ProjectName(index) + ".dll");
        var (code, output) = LocalFeed.TryRun("dotnet", [dll], work, 600);
        Assert.That(code, Is.Zero, $"{Compiled[index]} exits {code}:\n{output}");
        TestContext.Out.WriteLine(output);
    }
}
