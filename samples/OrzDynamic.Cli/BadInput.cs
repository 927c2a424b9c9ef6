namespace OrzDynamic.Cli;

/// <summary>Exceptions that mean "the input is wrong": the CLI prints their one-line message and exits 2.</summary>
internal static class BadInput
{
    public static bool Is(Exception ex) => ex is OrzDynamicException or NotSupportedException or FileNotFoundException or DirectoryNotFoundException;

    /// <summary>The message on one line (multi-line messages are joined with "; ").</summary>
    public static string OneLine(Exception ex) =>
        string.Join("; ", ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
