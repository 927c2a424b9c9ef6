using OrzDynamic.Core.Aggregation;

namespace OrzDynamic.Cli;

/// <summary>The training iteration of each checkpoint path, as the trends use it: the last iter(\d+), else its position.</summary>
internal static class CheckpointIterations
{
    public static int Of(IReadOnlyList<string> paths, int index) =>
        IterationParser.TryParse(paths[index], out var it) ? it : index;
}
