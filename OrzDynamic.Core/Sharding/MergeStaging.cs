namespace OrzDynamic.Core.Sharding;

/// <summary>
/// The staging folder of a merge, <c>DIR/.merge-staging/</c>: the merge writes every output there (the same layout
/// as DIR), and only when all of it is written are the files renamed into place (<see cref="Commit"/>). Disposing
/// removes the folder, so a failed or cancelled merge leaves nothing behind; a folder left by a killed merge is removed
/// by the next merge (<see cref="RemoveLeftovers"/>), which holds the directory's lock.
/// </summary>
internal sealed class MergeStaging : IDisposable
{
    /// <summary>The staging folder's name inside the output directory.</summary>
    public const string FolderName = ".merge-staging";

    private readonly string _target;

    private MergeStaging(string target, string path)
    {
        _target = target;
        Path = path;
    }

    /// <summary>The staging folder (absolute).</summary>
    public string Path { get; }

    /// <summary>Creates an empty staging folder inside <paramref name="dir"/>.</summary>
    public static MergeStaging Create(string dir)
    {
        var target = System.IO.Path.GetFullPath(dir);
        var path = System.IO.Path.Combine(target, FolderName);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        Directory.CreateDirectory(path);
        return new MergeStaging(target, path);
    }

    /// <summary>
    /// Removes what a killed merge or run left in <paramref name="dir"/>: the staging folder, and temporary files in
    /// DIR and in each checkpoint folder (never in <c>shards/</c>, where running shards keep theirs).
    /// </summary>
    public static void RemoveLeftovers(string dir, ShardPlan plan, ILogger logger)
    {
        var staging = System.IO.Path.Combine(dir, FolderName);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
            logger.LogInformation("Removed {Path}, left behind by an earlier merge that was stopped", staging);
        }
        TempLeftovers.Remove(dir, logger);
        foreach (var ck in plan.Checkpoints) TempLeftovers.Remove(System.IO.Path.Combine(dir, ck.Name), logger);
    }

    /// <summary>The final path of a file written at <paramref name="staged"/>.</summary>
    public string Final(string staged) => System.IO.Path.Combine(_target, System.IO.Path.GetRelativePath(Path, staged));

    /// <summary>
    /// Renames every staged file into place (each rename atomic, replacing the file of an earlier merge), removes
    /// per-dataset result files of an earlier merge whose accuracy in the name differs, and returns the final paths.
    /// </summary>
    public IReadOnlyList<string> Commit(IEnumerable<string> staged, IEnumerable<(string CheckpointDir, string Dataset)> datasetResults)
    {
        var finals = new List<string>();
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in staged)
        {
            var final = Final(file);
            if (!set.Add(final)) continue;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(final)!);
            File.Move(file, final, overwrite: true);
            finals.Add(final);
        }
        foreach (var (ckDir, dataset) in datasetResults)
        {
            var dirFinal = Final(ckDir);
            foreach (var stale in Directory.EnumerateFiles(dirFinal, OutputLayout.DatasetResultsPattern(dataset)))
                if (!set.Contains(stale)) File.Delete(stale);
        }
        return finals;
    }

    /// <summary>Removes the staging folder and whatever is still in it.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next merge removes it (RemoveLeftovers).
        }
    }
}
