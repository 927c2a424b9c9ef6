namespace OrzDynamic.Cli;

/// <summary>The command line itself is wrong (missing or contradictory flags).</summary>
internal sealed class CliInputException(string message) : OrzDynamicException(message);
