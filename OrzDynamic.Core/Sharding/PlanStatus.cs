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
        var root = Path.Combine(dir, ShardLayout.ShardsFolder);
        if (!Directory.Exists(root)) return;
        var expected = new HashSet<string>(plan.Units.Select(u => Path.GetFullPath(u.Kind == WorkUnitKind.Samples
            ? ShardLayout.UnitJournal(dir, plan, u) : ShardLayout.CustomUnitDir(dir, plan, u))), StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            var full = Path.GetFullPath(entry);
            var name = Path.GetFileName(full);
            if (expected.Contains(full) || name.Contains(".tmp-", StringComparison.Ordinal)) continue;
            if (Directory.Exists(full) && (name.StartsWith("shard-", StringComparison.Ordinal) || IsInsideExpected(full, expected))) continue;
            if (File.Exists(full) && IsInsideExpected(full, expected)) continue;
            var m = UnitName().Match(name);
            var reason = m.Success && m.Groups["plan"].Value != plan.PlanId
                ? $"journal of another plan (plan id {m.Groups["plan"].Value}, this plan {plan.PlanId})"
                : "not a file of this plan";
            throw new ShardPlanException($"{full}: {reason}; move it out of {root} or use another output directory.");
        }
    }

    private static bool IsInsideExpected(string path, HashSet<string> expected)
    {
        var parent = Path.GetDirectoryName(path);
        return parent is not null && expected.Contains(parent);
    }

    [GeneratedRegex(@"^unit-\d+\.(?<plan>[0-9a-f]+)\.(jsonl|custom)$")]
    private static partial Regex UnitName();
}
