using System.Diagnostics;
using System.Security.Cryptography;
using NUnit.Framework;

namespace OrzDynamic.Core.Tests.Cli;

/// <summary>Runs the built CLI (samples/OrzDynamic.Cli) as a separate process; snapshots output trees.</summary>
internal sealed class CliRunner
{
    public CliRunner(string workingDirectory)
    {
        WorkingDirectory = workingDirectory;
        var baseDir = AppContext.BaseDirectory;
        var repo = new DirectoryInfo(baseDir);
        while (repo != null && !File.Exists(Path.Combine(repo.FullName, "OrzDynamic.sln"))) repo = repo.Parent;
        Assert.That(repo, Is.Not.Null, "repository root (OrzDynamic.sln) not found above " + baseDir);
        RepoRoot = repo!.FullName;
        var configuration = baseDir.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        CliDll = Path.Combine(RepoRoot, "samples", "OrzDynamic.Cli", "bin", configuration, "net10.0", "orz-dynamic.dll");
        Assert.That(File.Exists(CliDll), Is.True, "CLI not built: " + CliDll);
    }

    public string WorkingDirectory { get; }
    public string RepoRoot { get; }
    public string CliDll { get; }

    /// <summary>How long <see cref="Run(IEnumerable{string}, IReadOnlyDictionary{string, string?}?)"/> waits for the CLI (default 3 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Starts the CLI with <paramref name="args"/>. The child never inherits a Slurm or Kubernetes shard index; entries of
    /// <paramref name="env"/> override the environment (a null value removes the variable).
    /// </summary>
    public Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkingDirectory,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["COLUMNS"] = "400";
        psi.Environment.Remove("SLURM_ARRAY_TASK_ID");
        psi.Environment.Remove("JOB_COMPLETION_INDEX");
        if (env is not null)
            foreach (var (k, v) in env)
                if (v is null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        return Process.Start(psi)!;
    }

    /// <summary>Runs the CLI to the end (at most <see cref="Timeout"/>) and returns its exit code and output.</summary>
    public (int Code, string Out, string Err) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? env = null)
    {
        using var p = Start(args, env);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(Timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"CLI did not finish within {Timeout.TotalMinutes} minutes: " + string.Join(' ', args));
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the CLI to the end with these arguments.</summary>
    public (int Code, string Out, string Err) Run(params string[] args) => Run((IEnumerable<string>)args);

    /// <summary>Relative path → SHA-256 of every file under <paramref name="dir"/> (empty when it does not exist).</summary>
    public static SortedDictionary<string, string> Snapshot(string dir)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(dir)) return map;
        foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(f).StartsWith("eval_", StringComparison.Ordinal) && f.EndsWith(".log", StringComparison.Ordinal)) continue;   // the log grows by design
            if (Path.GetFileName(f).StartsWith(".orz-dynamic.lock", StringComparison.Ordinal)) continue;   // the output directory's lock and its owner
            map[Path.GetRelativePath(dir, f)] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)));
        }
        return map;
    }

    /// <summary>The text of every eval_*.log under <paramref name="dir"/>.</summary>
    public static string Logs(string dir) =>
        Directory.Exists(dir) ? string.Join("\n", Directory.EnumerateFiles(dir, "eval_*.log", SearchOption.AllDirectories).Select(File.ReadAllText)) : "";

    /// <summary>Asserts a refusal: exit 2, exactly one stderr line starting "error: ", no stack trace.</summary>
    public static string AssertRefused((int Code, string Out, string Err) r, params string[] mustContain)
    {
        Assert.That(r.Code, Is.EqualTo(2), r.Out + r.Err);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), "one-line message expected:\n" + r.Err);
        Assert.That(lines[0], Does.StartWith("error: "));
        Assert.That(r.Err + r.Out, Does.Not.Contain("   at ").And.Not.Contain("Exception:"), "no stack trace");
        foreach (var m in mustContain) Assert.That(lines[0], Does.Contain(m));
        return lines[0];
    }
}
