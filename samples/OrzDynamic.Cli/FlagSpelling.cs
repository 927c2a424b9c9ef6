using System.CommandLine;

namespace OrzDynamic.Cli;

/// <summary>
/// Flag names follow the Python tool: words joined by underscores (<c>--output_dir</c>). The dash spelling of each
/// (<c>--output-dir</c>, <c>--cpus-per-task</c>) is accepted as an alias by rewriting it to the underscore name before
/// parsing, so <c>--help</c> lists each flag once.
/// </summary>
internal static class FlagSpelling
{
    /// <summary>Flags whose value is itself a flag of another program (passed on verbatim).</summary>
    private static readonly HashSet<string> ForeignValue = new(StringComparer.Ordinal) { "--sbatch_arg" };

    /// <summary>Rewrites every dash spelling of a known flag in <paramref name="args"/> to its underscore name.</summary>
    public static string[] Normalize(IReadOnlyList<string> args, Command root)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        Collect(root, known);
        var result = new string[args.Count];
        bool verbatim = false, foreignValue = false;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            result[i] = a;
            if (verbatim) continue;
            if (a == "--") { verbatim = true; continue; }
            if (foreignValue) { foreignValue = false; continue; }
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length <= 2) continue;
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? a : a[..eq];
            var underscored = "--" + name[2..].Replace('-', '_');
            if (underscored != name && known.Contains(underscored)) result[i] = underscored + (eq < 0 ? "" : a[eq..]);
            foreignValue = eq < 0 && ForeignValue.Contains(underscored);
        }
        return result;
    }

    private static void Collect(Command command, HashSet<string> names)
    {
        foreach (var o in command.Options) names.Add(o.Name);
        foreach (var c in command.Subcommands) Collect(c, names);
    }
}
