using System.IO.Compression;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Demo;
using OrzDynamic.Core.Tests.Fixtures;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>
/// Uses OrzDynamic as a package user would: packs the four libraries into a temporary feed (<see cref="LocalFeed"/>),
/// then builds and runs a fresh console app that references only the packages (plus the native TorchSharp-cpu package
/// the README names), in both call orders — TorchSharp touched first, and OrzDynamic touched first.
/// </summary>
[TestFixture, NonParallelizable, Category("Packaging")]
public sealed class PackageConsumerTests
{
    private static string[] Libraries => LocalFeed.Libraries;
    private TempDirectory _tmp = null!;
    private string _feed = null!;
    private string _app = null!;

    [OneTimeSetUp]
    public void PackAndBuild()
    {
        _tmp = new TempDirectory();
        _feed = LocalFeed.WithLibraries();
        var version = LocalFeed.Version;
        _app = _tmp.Sub("app");
        Directory.CreateDirectory(_app);
        LocalFeed.WriteNugetConfig(_app);
        LocalFeed.IsolateFromRepository(_app);
        File.WriteAllText(Path.Combine(_app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="OrzDynamic.Core" Version="{version}" />
                <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_app, "Program.cs"), """
            using OrzDynamic.Core.Evaluation;
            using OrzDynamic.Metrics;
            using static TorchSharp.torch;

            // args: defaults, demo data, checkpoint… (two checkpoints with the library's default OutputDir)
            if (args[0] == "defaults")
            {
                foreach (var checkpoint in args[2..])
                {
                    var defaults = new EvaluatorConfig { ModelPath = checkpoint, EvalPromptData = [args[1]], MaxEvalSamples = 2, GenerateMaxLen = 16 };
                    await using var each = new Evaluator(defaults);
                    var r = await each.EvalAsync();
                    Console.WriteLine(FormattableString.Invariant($"{r.Checkpoint} -> {each.SummaryPath}"));
                }
                return;
            }
            // args: order (torch-first | orz-first), demo checkpoint, demo data, output dir
            if (args[0] == "torch-first")
            {
                using var warm = ones(3);                 // TorchSharp before any OrzDynamic type
                Console.WriteLine($"torch ok {warm.sum().item<float>()}");
            }
            using (var logits = tensor(new float[] { 2, 0, 0, 0, 0, 3, 1, 1 }).reshape(1, 2, 4))
            using (var labels = tensor(new long[] { -100, 1 }).reshape(1, 2))
            {
                var m = LearningDynamics.GetBatchLogps(logits, labels);
                Console.WriteLine(FormattableString.Invariant($"prob_energy {m.Rows[0].ProbEnergy:R} valid {m.Rows[0].ValidTokens}"));
            }
            var config = new EvaluatorConfig
            {
                ModelPath = args[1], EvalPromptData = [args[2]], MaxEvalSamples = 4, GenerateMaxLen = 24,
                OutputDir = args[3], EnableVisualization = false, DoSample = false,
            };
            var results = await new Evaluator(config).EvalAsync();
            Console.WriteLine(FormattableString.Invariant($"evaluated {results["arith_demo/evaluated"]}"));
            """);
        Run("dotnet", ["build", "-c", "Release", _app], _app, 600);
    }

    [OneTimeTearDown]
    public void Clean() => _tmp?.Dispose();

    [TestCase("torch-first")]
    [TestCase("orz-first")]
    public void ConsumerAppRunsInEitherCallOrder(string order)
    {
        var checkpoint = DemoPaths.CheckpointDirectories[^1].Path;
        var output = Run("dotnet", [Path.Combine(_app, "bin", "Release", "net10.0", "Consumer.dll"), order, checkpoint, DemoPaths.EvalData, _tmp.Sub("out-" + order)], _app, 300);
        // Position 1 (label 1) is scored by the logits at position 0, [2, 0, 0, 0]: 1 − p(1) = 1 − 1/(e² + 3).
        double expected = 1 - 1 / (Math.Exp(2) + 3);
        var line = output.Split('\n').Single(l => l.StartsWith("prob_energy ", StringComparison.Ordinal));
        var parts = line.Split(' ');
        Assert.That(double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(1e-6));
        Assert.That(parts[3].Trim(), Is.EqualTo("1"));
        Assert.That(output, Does.Contain("evaluated 4"));
        if (order == "torch-first") Assert.That(output, Does.Contain("torch ok 3"));
    }

    [Test]
    public void LibraryDefaults_SecondCheckpoint_GetsItsOwnDirectory()
    {
        var work = _tmp.Sub("defaults");
        Directory.CreateDirectory(work);
        var checkpoints = DemoPaths.CheckpointDirectories.Select(c => c.Path).Take(2).ToArray();
        var output = Run("dotnet", [Path.Combine(_app, "bin", "Release", "net10.0", "Consumer.dll"), "defaults", DemoPaths.EvalData, .. checkpoints], work, 300);
        foreach (var checkpoint in checkpoints)
        {
            var name = Path.GetFileName(checkpoint);
            Assert.That(File.Exists(Path.Combine(work, "orz_dynamic_log", name, "summary.json")), Is.True, output);
            Assert.That(output, Does.Contain($"{name} -> {Path.Combine("orz_dynamic_log", name, "summary.json")}"));
        }
    }

    [Test]
    public void EachPackageCarriesDocsReadmeAndSymbols()
    {
        foreach (var lib in Libraries)
        {
            var nupkg = Directory.GetFiles(_feed, lib + ".0.*.nupkg").Single(p => !p.EndsWith(".snupkg", StringComparison.Ordinal));
            using var zip = ZipFile.OpenRead(nupkg);
            var names = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.That(names, Does.Contain($"lib/net10.0/{lib}.xml"), $"{lib}: XML docs");
            Assert.That(names, Does.Contain("README.md"), $"{lib}: package readme");
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            var spec = nuspec.ReadToEnd();
            Assert.That(spec, Does.Contain("<readme>README.md</readme>"), lib);
            Assert.That(spec, Does.Contain("<tags>"), lib);
            Assert.That(spec, Does.Contain("<description>"), lib);
            Assert.That(spec, Does.Contain("<license type=\"expression\">MIT</license>"), lib);
            var snupkg = Directory.GetFiles(_feed, lib + ".0.*.snupkg");
            Assert.That(snupkg, Has.Length.EqualTo(1), $"{lib}: symbols package");
            AssertPortablePdbWithSources(snupkg[0], lib);
            if (lib == "OrzDynamic.Metrics")
            {
                Assert.That(names, Does.Contain("buildTransitive/OrzDynamic.Metrics.targets"));
                Assert.That(names, Does.Contain("buildTransitive/OrzDynamicNativeInit.cs"));
            }
        }
    }

    /// <summary>The symbols package holds lib/net10.0/{lib}.pdb, a portable PDB whose documents carry embedded sources.</summary>
    private static void AssertPortablePdbWithSources(string snupkg, string lib)
    {
        using var zip = ZipFile.OpenRead(snupkg);
        var entry = zip.GetEntry($"lib/net10.0/{lib}.pdb");
        Assert.That(entry, Is.Not.Null, $"{lib}: no PDB in {Path.GetFileName(snupkg)} ({string.Join(", ", zip.Entries.Select(e => e.FullName))})");
        using var copy = new MemoryStream();
        using (var s = entry!.Open()) s.CopyTo(copy);
        copy.Position = 0;
        using var provider = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(copy);
        var reader = provider.GetMetadataReader();
        var embeddedSource = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
        var documents = reader.Documents.Count;
        var withSource = reader.Documents.Count(d => reader.GetCustomDebugInformation(d)
            .Any(c => reader.GetGuid(reader.GetCustomDebugInformation(c).Kind) == embeddedSource));
        Assert.That(documents, Is.GreaterThan(0), $"{lib}: PDB lists no source documents");
        Assert.That(withSource, Is.EqualTo(documents), $"{lib}: documents with embedded source");
    }

    private static string Run(string file, IReadOnlyList<string> args, string workDir, int timeoutSeconds) =>
        LocalFeed.Run(file, args, workDir, timeoutSeconds);
}
