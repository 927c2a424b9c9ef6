namespace OrzDynamic.Core.Results;

/// <summary>
/// A journal must be a regular file: through a symbolic link (say to <c>/dev/null</c>), a device or a FIFO the records
/// would not be kept, and a later run could not resume from them.
/// </summary>
internal static class RegularFile
{
    /// <summary>Refuses an existing <paramref name="path"/> that is a symbolic link or lies in <c>/dev</c> (a writer checks
    /// <see cref="Unseekable"/> on the stream it opens; a reader calls <see cref="CheckSeekable"/> first).</summary>
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

    /// <summary>
    /// Refuses an existing <paramref name="path"/> that cannot seek (a FIFO, socket or device), before a reader opens it:
    /// opening a FIFO for reading would wait for a writer forever.
    /// </summary>
    /// <exception cref="ResultsFileException">Not a regular file.</exception>
    public static void CheckSeekable(string path)
    {
        if (!File.Exists(path)) return;
        try
        {
            // Opening read-write does not wait for a peer on a FIFO (Linux), and a FIFO, socket or device cannot seek.
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (!probe.CanSeek) throw Unseekable(path);
        }
        catch (UnauthorizedAccessException)
        {
            // Not writable (a read-only reference file): the reader's own open reports any other problem.
        }
    }

    /// <summary>The refusal of <paramref name="path"/>, open or probed, when it cannot seek.</summary>
    public static ResultsFileException Unseekable(string path) => new(path, null, Refusal("a FIFO, socket or device"));

    /// <summary>The message for a journal path that is <paramref name="what"/>.</summary>
    public static string Refusal(string what) => $"is {what}, not a regular file; a journal must be a regular file. Remove it or choose another --output_dir";
}
