using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Sharding;

/// <summary>Completion of every unit of a plan, read from the shard files (cheap: counts journal lines).</summary>
public static partial class PlanStatus
{
    /// <summary>Status of every unit, in plan order.</summary>
    /// <exception cref="ShardPlanException">DIR/shards holds a journal of another plan.</exception>
    public static IReadOnlyList<UnitStatus> Read(string dir, ShardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        CheckForeignFiles(dir, plan);
        return plan.Units.Select(u => new UnitStatus(plan, u, Done(dir, plan, u))).ToArray();
    }

    /// <summary>Samples journaled for <paramref name="unit"/> (complete lines of its journal).</summary>
    public static int Done(string dir, ShardPlan plan, WorkUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Kind == WorkUnitKind.CustomSentences)
            return Directory.Exists(ShardLayout.CustomUnitDir(dir, plan, unit)) ? unit.Samples : 0;
        if (unit.Kind == WorkUnitKind.AnswerProbes)
            return File.Exists(ShardLayout.ProbeUnitJournal(dir, plan, unit)) ? unit.Samples : 0;
        var path = ShardLayout.UnitJournal(dir, plan, unit);
        if (!File.Exists(path)) return 0;
        int lines = 0;
        var buffer = new byte[1 << 16];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
        return lines;
    }

    /// <summary>
    /// Refuses a directory whose <c>shards/</c> folder holds journals or unit folders that this plan does not name
    /// (another plan's, or stray files): merging them would mix incomparable results.
    /// </summary>
    /// <exception cref="ShardPlanException">The first foreign file, with its plan id.</exception>
    public static void CheckForeignFiles(string dir, ShardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var root = Path.Combine(dir, OutputLayout.ShardsFolder);
        if (!Directory.Exists(root)) return;
        var expected = new HashSet<string>(plan.Units.Select(u => Path.GetFullPath(ShardLayout.UnitPath(dir, plan, u))), StringComparer.Ordinal);
        // Only two levels are looked at (shards/shard-K/entry), and entries that vanish while we look (another shard
        // renaming its finished custom-sentence folder into place) are skipped: other shards keep working meanwhile.
        foreach (var entry in Entries(root))
        {
            var name = Path.GetFileName(entry);
            if (name.Contains(".tmp-", StringComparison.Ordinal)) continue;
            if (!ShardFolder().IsMatch(name) || !Directory.Exists(entry)) Foreign(entry, name, root, plan);
            foreach (var inner in Entries(entry))
            {
                var innerName = Path.GetFileName(inner);
                if (innerName.Contains(".tmp-", StringComparison.Ordinal) || innerName is OutputDirectoryLock.LockFileName or OutputDirectoryLock.OwnerFileName
                    || expected.Contains(Path.GetFullPath(inner))) continue;
                Foreign(inner, innerName, root, plan);
            }
        }
    }

    private static string[] Entries(string directory)
    {
        try
        {
            return Directory.GetFileSystemEntries(directory);
        }
        catch (IOException) when (!Directory.Exists(directory))
        {
            return [];
        }
    }

    private static void Foreign(string path, string name, string root, ShardPlan plan)
    {
        var m = UnitName().Match(name);
        var reason = m.Success && m.Groups["plan"].Value != plan.PlanId
            ? $"journal of another plan (plan id {m.Groups["plan"].Value}, this plan {plan.PlanId})"
            : "not a file of this plan";
        throw new ShardPlanException($"{Path.GetFullPath(path)}: {reason}; move it out of {root} or use another output directory.");
    }

    [GeneratedRegex(@"^shard-\d+$")]
    private static partial Regex ShardFolder();

    [GeneratedRegex(@"^unit-\d+\.(?<plan>[0-9a-f]+)\.(jsonl|custom|probes\.jsonl)$")]
    private static partial Regex UnitName();
}
