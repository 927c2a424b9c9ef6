namespace OrzDynamic.Core.Sharding;

/// <summary>
/// Writes a whole file in a plan directory that several processes (shards, merge) share: through a temporary file
/// named uniquely per process and a rename (safe on NFS, no locks). Unlike <see cref="Results.AtomicFile"/> (one
/// writer, fixed <c>.tmp</c> name), two processes never write the same temporary file.
/// </summary>
internal static class SharedDirFile
{
    /// <summary>A temporary name beside <paramref name="path"/>, unique to this process.</summary>
    public static string TempPath(string path) =>
        string.Create(CultureInfo.InvariantCulture, $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text)
    {
        var tmp = TempPath(path);
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Renames a finished temporary file onto <paramref name="path"/>.</summary>
    public static void Commit(string tmp, string path) => File.Move(tmp, path, overwrite: true);
}
