namespace OrzDynamic.Core.Results;

/// <summary>
/// Writes a whole file all-or-nothing: into <c>&lt;path&gt;.tmp</c> beside it, flushed to disk, then renamed over
/// <c>path</c>. A crash (or <c>kill -9</c>) leaves either the old file or the new one, never a torn one; a failed write
/// (disk full) removes the temporary file and leaves the old file untouched.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM).</summary>
    /// <exception cref="ResultsFileException">The file cannot be written (names the file and the reason).</exception>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            var bytes = Utf8NoBom.GetBytes(text);
            stream.Write(bytes);
        });

    /// <summary>Writes one line per item, each ended by '\n' (UTF-8, no BOM).</summary>
    /// <exception cref="ResultsFileException">The file cannot be written (names the file and the reason).</exception>
    public static void WriteAllLines(string path, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var line in lines) writer.WriteLine(line);
        });
    }

    /// <summary>Writes the file through <paramref name="write"/>, which receives the temporary file's stream.</summary>
    /// <exception cref="ResultsFileException">The file cannot be written (names the file and the reason).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        if (Directory.Exists(path))
            throw new ResultsFileException(path, null, "is a directory; expected a file there. Remove or rename it.");
        var tmp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(tmp);
            throw new ResultsFileException(path, null, "cannot be written: " + ex.Message, ex);
        }
    }

    private static void TryDelete(string tmp)
    {
        try
        {
            File.Delete(tmp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale .tmp is overwritten by the next write.
        }
    }
}
