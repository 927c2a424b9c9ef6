using OrzDynamic.Datasets;

namespace OrzDynamic.Cli;

/// <summary>Exceptions that mean "the input is wrong": the CLI prints their one-line message and exits 2.</summary>
internal static class BadInput
{
    public static bool Is(Exception ex) => ex is OrzDynamicException or DatasetException or NotSupportedException or FileNotFoundException
        or DirectoryNotFoundException
        // The environment (disk full, permissions, a file where a directory belongs): also exit 2 with the message.
        or IOException or UnauthorizedAccessException;

    /// <summary>The message on one line (a multi-line message, e.g. every bad record, is joined with "; ").</summary>
    public static string OneLine(Exception ex) =>
        string.Join("; ", ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Replace(":;", ":", StringComparison.Ordinal);
}
