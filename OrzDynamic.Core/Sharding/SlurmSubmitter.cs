using System.Diagnostics;

namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Submits a plan to Slurm: one job array (task K runs shard K) for the shards that still have unfinished units, and a
/// merge job that starts after the whole array succeeded (<c>--dependency=afterok:&lt;array&gt;</c>). Slurm is the
/// engine: no scheduler, queue or server of our own. Resubmitting the same directory is safe: it refuses while jobs of
/// the previous submission are queued or running, cancels a merge job whose dependency can no longer be met, and
/// submits only the shards with missing units.
/// </summary>
public static class SlurmSubmitter
{
    /// <summary>Record of the submissions made for a directory.</summary>
    public const string SubmissionsFile = "submissions.json";

    /// <summary>Writes the scripts into DIR/slurm/ and (unless a dry run) submits them.</summary>
    /// <exception cref="SlurmNotFoundException"><c>sbatch</c> is not installed (and this is not a dry run).</exception>
    /// <exception cref="ShardPlanException">Jobs of the previous submission are still active, or sbatch failed.</exception>
    public static SlurmSubmission Submit(string dir, ShardPlan plan, SlurmOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        logger ??= NullLogger.Instance;
        dir = Path.GetFullPath(dir);
        if (!options.DryRun) RequireOnPath("sbatch");

        var status = PlanStatus.Read(dir, plan);
        var shards = status.Where(s => !s.IsComplete).Select(s => s.Unit.Shard).Distinct().Order().ToArray();
        // Answer probes of a reference checkpoint of this plan need all its answers: the shards with probe units run
        // once more, as a second array that starts after the first succeeded (a complete unit is skipped at once).
        var probeShards = plan.Probes is { } probes && !probes.IsReady(dir, plan)
            ? status.Where(s => !s.IsComplete && s.Unit.Kind == WorkUnitKind.AnswerProbes).Select(s => s.Unit.Shard).Distinct().Order().ToArray()
            : [];
        var slurmDir = Path.Combine(dir, OutputLayout.SlurmFolder);
        Directory.CreateDirectory(Path.Combine(slurmDir, "logs"));
        var arrayScript = Path.Combine(slurmDir, "shards.sbatch");
        var mergeScript = Path.Combine(slurmDir, "merge.sbatch");
        var allShards = Enumerable.Range(0, plan.ShardCount).ToArray();
        SharedDirFile.WriteAllText(arrayScript, ArrayScript(dir, plan, options, shards.Length > 0 ? shards : allShards));
        SharedDirFile.WriteAllText(mergeScript, MergeScript(dir, plan, options));
        if (options.DryRun)
            return new SlurmSubmission(arrayScript, mergeScript, shards, null, null, probeShards.Length == 0
                ? $"sbatch {Quote(arrayScript)}   # then: sbatch --dependency=afterok:<array job id> {Quote(mergeScript)}"
                : $"sbatch {Quote(arrayScript)}   # then: sbatch --array={Ranges(probeShards)} --dependency=afterok:<array job id> {Quote(arrayScript)}; sbatch --dependency=afterok:<second array job id> {Quote(mergeScript)}")
            {
                ProbeShards = probeShards,
            };

        var previous = ReadSubmissions(slurmDir);
        if (previous.Count > 0) RetirePrevious(previous[^1], logger);

        string? arrayId = null, probeArrayId = null;
        if (shards.Length > 0) arrayId = Sbatch(["--parsable", arrayScript]);
        if (probeShards.Length > 0)
            probeArrayId = Sbatch(arrayId is null
                ? ["--parsable", $"--array={Ranges(probeShards)}", arrayScript]
                : ["--parsable", $"--array={Ranges(probeShards)}", $"--dependency=afterok:{arrayId}", arrayScript]);
        var last = probeArrayId ?? arrayId;
        var mergeArgs = last is null ? new[] { "--parsable", mergeScript } : ["--parsable", $"--dependency=afterok:{last}", mergeScript];
        var mergeId = Sbatch(mergeArgs);
        previous.Add(new SubmissionRecord(DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), arrayId, mergeId, shards, probeArrayId));
        SharedDirFile.WriteAllText(Path.Combine(slurmDir, SubmissionsFile), JsonSerializer.Serialize(previous, new JsonSerializerOptions { WriteIndented = true }));
        var ids = string.Join(',', new[] { arrayId, probeArrayId, mergeId }.Where(i => i is not null));
        logger.LogInformation("Submitted array {Array} (shards {Shards}), probe array {ProbeArray} and merge job {Merge}", arrayId, string.Join(",", shards), probeArrayId, mergeId);
        return new SlurmSubmission(arrayScript, mergeScript, shards, arrayId, mergeId, $"watch -n 10 squeue -j {ids}")
        {
            ProbeShards = probeShards,
            ProbeArrayJobId = probeArrayId,
        };
    }

    /// <summary>The array script: task K runs <c>shard run --plan DIR/plan.json</c> (K from SLURM_ARRAY_TASK_ID).</summary>
    public static string ArrayScript(string dir, ShardPlan plan, SlurmOptions options, IReadOnlyList<int> shards)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shards);
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=orz-shards-{plan.PlanId[..8]}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array={Ranges(shards)}\n");
        sb.Append("#SBATCH --output=").Append(SbatchQuote(Path.Combine(dir, OutputLayout.SlurmFolder, "logs", "shard-%a.%A.out"))).Append('\n');
        Resources(sb, options, gres: true);
        foreach (var extra in options.ExtraArgs) sb.Append("#SBATCH ").Append(extra).Append('\n');
        sb.Append("# Written by `orz-dynamic slurm submit`. Task K runs shard K of the plan; rerunning a task resumes its journals.\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("exec ").Append(string.Join(' ', options.Launcher.Select(Quote))).Append(" shard run --plan ").Append(Quote(ShardLayout.PlanPath(dir))).Append('\n');
        return sb.ToString();
    }

    /// <summary>The merge job script.</summary>
    public static string MergeScript(string dir, ShardPlan plan, SlurmOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=orz-merge-{plan.PlanId[..8]}\n");
        sb.Append("#SBATCH --output=").Append(SbatchQuote(Path.Combine(dir, OutputLayout.SlurmFolder, "logs", "merge.%j.out"))).Append('\n');
        Resources(sb, options with { CpusPerTask = 1 }, gres: false);
        sb.Append("# Written by `orz-dynamic slurm submit`; runs after every shard task succeeded (afterok).\n");
        sb.Append("set -euo pipefail\n");
        sb.Append("exec ").Append(string.Join(' ', options.Launcher.Select(Quote))).Append(" merge ").Append(Quote(dir));
        foreach (var a in options.MergeArgs) sb.Append(' ').Append(Quote(a));
        sb.Append('\n');
        return sb.ToString();
    }

    private static void Resources(StringBuilder sb, SlurmOptions o, bool gres)
    {
        if (o.Partition is not null) sb.Append("#SBATCH --partition=").Append(o.Partition).Append('\n');
        if (gres && o.Gres is not null) sb.Append("#SBATCH --gres=").Append(o.Gres).Append('\n');
        if (o.Time is not null) sb.Append("#SBATCH --time=").Append(o.Time).Append('\n');
        if (o.CpusPerTask is int c) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={c}\n");
        if (gres && o.Mem is not null) sb.Append("#SBATCH --mem=").Append(o.Mem).Append('\n');
    }

    /// <summary>
    /// A path in double quotes for an <c>#SBATCH</c> line: sbatch splits those lines at blanks and removes the quotes,
    /// so a path with spaces stays one argument. A double quote inside the path cannot be written there and is refused.
    /// </summary>
    private static string SbatchQuote(string path) => path.Contains('"', StringComparison.Ordinal)
        ? throw new ArgumentException($"The output directory '{path}' contains a double quote, which an #SBATCH line cannot hold.", nameof(path))
        : "\"" + path + "\"";

    /// <summary>Compact array spec: 0-3,5,7-8.</summary>
    public static string Ranges(IReadOnlyList<int> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parts = new List<string>();
        for (int i = 0; i < values.Count;)
        {
            int j = i;
            while (j + 1 < values.Count && values[j + 1] == values[j] + 1) j++;
            parts.Add(j == i ? values[i].ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{values[i]}-{values[j]}"));
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    private static void RetirePrevious(SubmissionRecord last, ILogger logger)
    {
        if (last.ArrayJobId is not null)
        {
            var active = Squeue(last.ArrayJobId, "%i %T");
            if (active.Count > 0)
                throw new ShardPlanException($"tasks of the previous shard array {last.ArrayJobId} are still queued or running ({string.Join(", ", active)}); " +
                                             $"wait for them or `scancel {last.ArrayJobId}`, then submit again.");
        }
        if (last.ProbeArrayJobId is not null)
        {
            var active = Squeue(last.ProbeArrayJobId, "%i %T");
            if (active.Any(s => !s.EndsWith(" PENDING", StringComparison.Ordinal)))
                throw new ShardPlanException($"tasks of the previous probe array {last.ProbeArrayJobId} are still running ({string.Join(", ", active)}); " +
                                             $"wait for them or `scancel {last.ProbeArrayJobId}`, then submit again.");
            if (active.Count > 0)
            {
                // Pending after the first array ended: its afterok dependency can no longer be met; the new submission replaces it.
                Run("scancel", [last.ProbeArrayJobId]);
                logger.LogInformation("Cancelled the pending probe array {Job} of the previous submission", last.ProbeArrayJobId);
            }
        }
        if (last.MergeJobId is not null && Squeue(last.MergeJobId, "%T").Any(s => s.Trim() == "PENDING"))
        {
            // Its afterok dependency can no longer be met (the array ended with failed or cancelled tasks); the new merge job replaces it.
            Run("scancel", [last.MergeJobId]);
            logger.LogInformation("Cancelled the pending merge job {Job} of the previous submission", last.MergeJobId);
        }
    }

    private static List<string> Squeue(string job, string format)
    {
        RequireOnPath("squeue");
        var (code, stdout, _) = Run("squeue", ["-h", "-j", job, "-o", format]);
        // squeue exits non-zero ("Invalid job id specified") for jobs the controller no longer knows: nothing active.
        if (code != 0) return [];
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    private static string Sbatch(IReadOnlyList<string> args)
    {
        var (code, stdout, stderr) = Run("sbatch", args);
        if (code != 0) throw new ShardPlanException($"sbatch {string.Join(' ', args)} failed (exit {code}): {stderr.Trim().ReplaceLineEndings(" ")}");
        var id = stdout.Trim().Split(';')[0];
        if (id.Length == 0 || !id.All(char.IsAsciiDigit)) throw new ShardPlanException($"sbatch printed no job id: '{stdout.Trim()}'");
        return id;
    }

    private static (int Code, string Stdout, string Stderr) Run(string program, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new SlurmNotFoundException(program);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout, stderr.Result);
    }

    /// <summary>The full path of <paramref name="program"/> on the PATH.</summary>
    /// <exception cref="ShardPlanException">The program is not on the PATH (no Slurm on this machine).</exception>
    public static string RequireOnPath(string program) => FindOnPath(program) ?? throw new SlurmNotFoundException(program);

    /// <summary>The full path of <paramref name="program"/> on the PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(d, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static List<SubmissionRecord> ReadSubmissions(string slurmDir)
    {
        var path = Path.Combine(slurmDir, SubmissionsFile);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<SubmissionRecord>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException ex)
        {
            throw new ShardPlanException($"{path}: unreadable submission record ({ex.Message}); delete it after checking squeue.", ex);
        }
    }

    private sealed record SubmissionRecord(string Time, string? ArrayJobId, string MergeJobId, IReadOnlyList<int> Shards, string? ProbeArrayJobId = null);
}
