namespace OrzDynamic.Core.Results;

/// <summary>
/// A journal must be a regular file: through a symbolic link (say to <c>/dev/null</c>), a device or a FIFO the records
/// would not be kept, and a later run could not resume from them.
/// </summary>
internal static class RegularFile
{
    /// <summary>Refuses an existing <paramref name="path"/> that is a symbolic link or lies in <c>/dev</c>.</summary>
    /// <exception cref="ResultsFileException">Not a regular file.</exception>
    public static void CheckBeforeOpen(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
            throw new ResultsFileException(path, null, Refusal($"a symbolic link to {target}"));
        var full = Path.GetFullPath(path);
        if (!OperatingSystem.IsWindows() && full.StartsWith("/dev/", StringComparison.Ordinal))
            throw new ResultsFileException(path, null, Refusal("a device"));
    }

    /// <summary>The message for a journal path that is <paramref name="what"/>.</summary>
    public static string Refusal(string what) => $"is {what}, not a regular file; a journal must be a regular file. Remove it or choose another --output_dir";
}
