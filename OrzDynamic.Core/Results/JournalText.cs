namespace OrzDynamic.Core.Results;

/// <summary>
/// The complete lines of an append-only JSONL journal. A crash can leave a torn last line (no final '\n'); readers
/// ignore it, and writers that resume cut it off so the next record starts on a fresh line.
/// </summary>
internal static class JournalText
{
    /// <summary>The text of the complete lines of <paramref name="bytes"/> (everything up to the last '\n').</summary>
    public static string CompleteLines(byte[] bytes) =>
        Encoding.UTF8.GetString(bytes, 0, Array.LastIndexOf(bytes, (byte)'\n') + 1);

    /// <summary>
    /// Reads the whole journal open in <paramref name="stream"/>, cuts a torn last line off the file (with a warning
    /// saying what will be redone), leaves the stream positioned at the end, and returns the complete lines.
    /// </summary>
    public static string ReadCuttingTornLine(FileStream stream, string path, ILogger logger, string redone)
    {
        var bytes = new byte[stream.Length];
        stream.Position = 0;
        stream.ReadExactly(bytes);
        long complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (complete < bytes.Length)
        {
            logger.LogWarning("{File}: ignoring a torn last line ({Bytes} bytes); {Redone}", path, bytes.Length - complete, redone);
            stream.SetLength(complete);
        }
        stream.Position = stream.Length;
        return Encoding.UTF8.GetString(bytes, 0, (int)complete);
    }
}
