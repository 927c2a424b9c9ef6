using System.Diagnostics;
using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Sharding;

/// <summary>Starts the built CLI (samples/OrzDynamic.Cli) as separate OS processes.</summary>
internal sealed class CliRunner(string workingDirectory)
{
    public static string CliDll { get; } = FindCli();

    private static string FindCli()
    {
        var baseDir = AppContext.BaseDirectory;
        var repo = new DirectoryInfo(baseDir);
        while (repo != null && !File.Exists(Path.Combine(repo.FullName, "OrzDynamic.sln"))) repo = repo.Parent;
        Assert.That(repo, Is.Not.Null, "repository root (OrzDynamic.sln) not found above " + baseDir);
        var configuration = baseDir.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(repo!.FullName, "samples", "OrzDynamic.Cli", "bin", configuration, "net10.0", "orz-dynamic.dll");
        Assert.That(File.Exists(dll), Is.True, "CLI not built: " + dll);
        return dll;
    }

    public Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("SLURM_ARRAY_TASK_ID");
        psi.Environment.Remove("JOB_COMPLETION_INDEX");
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    public (int Code, string Out, string Err) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null, int minutes = 15)
    {
        using var p = Start(args, env);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(minutes)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"CLI did not finish in {minutes} min: {string.Join(' ', args)}");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    public (int Code, string Out, string Err) Run(params string[] args) => Run((IEnumerable<string>)args);
}
