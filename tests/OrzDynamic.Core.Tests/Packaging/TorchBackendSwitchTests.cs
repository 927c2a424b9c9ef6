using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Demo;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>
/// The MSBuild property <c>TorchBackend</c> selects the native TorchSharp package of every app and test project.
/// CUDA packages cannot be restored here, so this checks MSBuild's evaluation of the PackageReference items.
/// </summary>
[TestFixture, NonParallelizable, Category("Packaging")]
public sealed class TorchBackendSwitchTests
{
    private static readonly string[] Projects =
    [
        "samples/OrzDynamic.Cli/OrzDynamic.Cli.csproj",
        "samples/OrzDynamic.Trainer/OrzDynamic.Trainer.csproj",
        "tests/OrzDynamic.Benchmarks/OrzDynamic.Benchmarks.csproj",
        "tests/OrzDynamic.Core.Tests/OrzDynamic.Core.Tests.csproj",
        "tests/OrzDynamic.Metrics.Tests/OrzDynamic.Metrics.Tests.csproj",
    ];

    private static readonly string[] NativePackages = ["TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows"];

    private static string RepoRoot => Path.GetDirectoryName(DemoPaths.Samples)!;

    [TestCase(null, "TorchSharp-cpu")]
    [TestCase("cpu", "TorchSharp-cpu")]
    [TestCase("cuda-linux", "TorchSharp-cuda-linux")]
    [TestCase("cuda-windows", "TorchSharp-cuda-windows")]
    public void BackendSelectsExactlyOneNativePackage(string? backend, string expected)
    {
        foreach (var project in Projects)
        {
            var args = new List<string> { "msbuild", Path.Combine(RepoRoot, project), "-getItem:PackageReference", "-getProperty:TorchBackend" };
            if (backend is not null) args.Add("-p:TorchBackend=" + backend);
            var (code, output) = Run(args);
            Assert.That(code, Is.Zero, output);
            using var doc = JsonDocument.Parse(output);
            var refs = doc.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
                .Select(e => e.GetProperty("Identity").GetString()!).ToArray();
            Assert.That(refs.Intersect(NativePackages).ToArray(), Is.EqualTo(new[] { expected }), project);
            Assert.That(doc.RootElement.GetProperty("Properties").GetProperty("TorchBackend").GetString(), Is.EqualTo(backend ?? "cpu"), project);
        }
    }

    [Test]
    public void LibrariesReferenceNoNativePackage()
    {
        foreach (var lib in new[] { "OrzDynamic.Metrics", "OrzDynamic.Core" })
        {
            var (code, output) = Run(["msbuild", Path.Combine(RepoRoot, lib, lib + ".csproj"), "-getItem:PackageReference", "-p:TorchBackend=cuda-linux"]);
            Assert.That(code, Is.Zero, output);
            using var doc = JsonDocument.Parse(output);
            var refs = doc.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
                .Select(e => e.GetProperty("Identity").GetString()!).ToArray();
            Assert.That(refs, Does.Contain("TorchSharp"));
            Assert.That(refs.Intersect(NativePackages), Is.Empty, lib);
        }
    }

    [Test]
    public void UnknownBackendIsRefused()
    {
        var (code, output) = Run(["msbuild", Path.Combine(RepoRoot, Projects[0]), "-t:OrzDynamicCheckTorchBackend", "-p:TorchBackend=rocm"]);
        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("TorchBackend must be cpu, cuda-linux or cuda-windows, got 'rocm'"));
    }

    private static (int Code, string Output) Run(IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(TimeSpan.FromMinutes(3)), Is.True, "dotnet msbuild did not finish");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
