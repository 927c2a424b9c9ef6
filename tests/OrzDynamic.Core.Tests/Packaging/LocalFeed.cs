using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using NUnit.Framework;
using OrzDynamic.Core.Tests.Demo;

namespace OrzDynamic.Core.Tests.Packaging;

/// <summary>
/// One local package feed per test run, as the README builds it: the four libraries and, on demand, the CLI as a .NET
/// tool (this machine's runtime identifier only), packed once with a unique prerelease version. Everything is built in
/// a temporary artifacts directory, so the repository's own bin/ and obj/ are untouched; <see cref="LocalFeedCleanup"/>
/// deletes it after the packaging tests.
/// </summary>
internal static class LocalFeed
{
    /// <summary>The library packages, in dependency order.</summary>
    public static readonly string[] Libraries = ["OrzDynamic.Metrics", "OrzDynamic.Datasets", "OrzDynamic.Core", "OrzDynamic.Plotting"];

    /// <summary>The native TorchSharp package a consumer adds (the README names it per operating system).</summary>
    public const string NativePackage = "TorchSharp-cpu";

    /// <summary>The TorchSharp version of the packages (Directory.Packages.props).</summary>
    public const string TorchSharpVersion = "0.107.0";

    private static readonly Lazy<string> RootDir = new(() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "orz-feed-" + Guid.NewGuid().ToString("N")[..8])).FullName);

    private static readonly Lazy<string> LibrariesPacked = new(() =>
    {
        foreach (var lib in Libraries)
            Pack(Path.Combine(RepoRoot, lib, lib + ".csproj"));
        return FeedDir;
    });

    private static readonly Lazy<string> ToolPacked = new(() =>
    {
        Pack(Path.Combine(RepoRoot, "samples", "OrzDynamic.Cli", "OrzDynamic.Cli.csproj"), $"-p:ToolPackageRuntimeIdentifiers={RuntimeInformation.RuntimeIdentifier}");
        return FeedDir;
    });

    /// <summary>The unique version of every package of this run (a fresh version never meets a stale cached package).</summary>
    public static string Version { get; } = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>The repository root (the directory of OrzDynamic.sln).</summary>
    public static string RepoRoot => Path.GetDirectoryName(DemoPaths.Samples)!;

    /// <summary>The temporary root holding the feed, the artifacts and whatever tests put beside them.</summary>
    public static string Root => RootDir.Value;

    private static string FeedDir => Path.Combine(Root, "feed");

    /// <summary>The feed with the four library packages (packed on first use).</summary>
    public static string WithLibraries() => LibrariesPacked.Value;

    /// <summary>The feed with the tool package OrzDynamic.Cli and its package for this runtime identifier (packed on first use).</summary>
    public static string WithTool() => ToolPacked.Value;

    /// <summary>Writes a nuget.config naming the feed first, then nuget.org, into <paramref name="dir"/>.</summary>
    public static void WriteNugetConfig(string dir) => File.WriteAllText(Path.Combine(dir, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{FeedDir}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
        </configuration>
        """);

    /// <summary>Empty Directory.Build.props/targets and a packages file keep the repository's build settings out of <paramref name="dir"/>.</summary>
    public static void IsolateFromRepository(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>");
    }

    /// <summary>Deletes <see cref="Root"/> when a test created it.</summary>
    public static void DeleteIfCreated()
    {
        if (!RootDir.IsValueCreated) return;
        try { Directory.Delete(RootDir.Value, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static void Pack(string project, params string[] extra) =>
        Run("dotnet", ["pack", project, "-c", "Release", "-o", FeedDir, "--artifacts-path", Path.Combine(Root, "artifacts"), $"-p:Version={Version}", .. extra],
            RepoRoot, 900);

    /// <summary>Runs a program to the end; fails the test on a non-zero exit or after <paramref name="timeoutSeconds"/>.</summary>
    public static string Run(string file, IReadOnlyList<string> args, string workDir, int timeoutSeconds, IReadOnlyDictionary<string, string?>? env = null)
    {
        var (code, output) = TryRun(file, args, workDir, timeoutSeconds, env);
        Assert.That(code, Is.Zero, $"{file} {string.Join(' ', args)} failed:\n{output}");
        return output;
    }

    /// <summary>Runs a program to the end and returns its exit code and output (stdout, then stderr).</summary>
    public static (int Code, string Output) TryRun(string file, IReadOnlyList<string> args, string workDir, int timeoutSeconds, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} timed out after {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
