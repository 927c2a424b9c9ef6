using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Results;

/// <summary>
/// Removes the temporary files a killed writer left in a directory: <c>&lt;file&gt;.tmp</c> (written by
/// <see cref="AtomicFile"/>) and <c>&lt;file&gt;.tmp-&lt;pid&gt;-&lt;guid&gt;</c> files or folders (written by the
/// shared-directory writers of sharded runs). A writer calls it only while it holds the directory's
/// <see cref="OutputDirectoryLock"/>, so no live writer's temporary file is touched. Not recursive.
/// </summary>
internal static partial class TempLeftovers
{
    /// <summary>Removes the leftovers directly inside <paramref name="directory"/>; returns how many were removed.</summary>
    public static int Remove(string directory, ILogger logger)
    {
        if (!Directory.Exists(directory)) return 0;
        int removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            if (!IsLeftover(Path.GetFileName(entry))) continue;
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
                logger.LogInformation("Removed {Path}, left behind by an earlier writer that was stopped", entry);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not remove the leftover {Path}: {Reason}", entry, ex.Message);
            }
        }
        return removed;
    }

    /// <summary>Whether <paramref name="name"/> is a temporary name of <see cref="AtomicFile"/> or the shared-directory writers.</summary>
    public static bool IsLeftover(string name) => name.EndsWith(".tmp", StringComparison.Ordinal) || SharedTemp().IsMatch(name);

    [GeneratedRegex(@"\.tmp-\d+-[0-9a-f]{32}$")]
    private static partial Regex SharedTemp();
}
