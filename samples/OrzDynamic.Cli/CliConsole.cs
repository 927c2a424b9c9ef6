using System.Globalization;
using Spectre.Console;

namespace OrzDynamic.Cli;

/// <summary>
/// The console the CLI writes to. Output redirected to a file or pipe (CI logs, Slurm <c>.out</c> files): no ANSI
/// codes at all and a wide fixed width, so tables and paths are never wrapped. <c>NO_COLOR</c> (any value): no ANSI
/// codes either. In a terminal the width is <c>COLUMNS</c> when set, else the terminal's.
/// </summary>
internal static class CliConsole
{
    /// <summary>The width of redirected output: wide enough that no table row or path is wrapped.</summary>
    public const int RedirectedWidth = 1000;

    /// <summary>Whether standard output goes to a file or pipe rather than a terminal.</summary>
    public static bool IsRedirected => Console.IsOutputRedirected;

    /// <summary>Creates the console for the current environment.</summary>
    public static IAnsiConsole Create()
    {
        bool redirected = IsRedirected;
        bool plain = redirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected) console.Profile.Width = RedirectedWidth;
        else if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns > 0)
            console.Profile.Width = columns;
        return console;
    }
}
