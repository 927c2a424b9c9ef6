using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Results;
using OrzDynamic.Core.Sharding;
using OrzDynamic.Core.Tokenization;
using OrzDynamic.Datasets.Loading;
using OrzDynamic.Metrics.SafeTensors;

namespace OrzDynamic.Cli;

/// <summary>Exceptions that mean "the input is wrong": the CLI prints their one-line message and exits 2.</summary>
internal static class BadInput
{
    public static bool Is(Exception ex) => ex is CliInputException or EvaluatorConfigException or DataFormatException
        or CheckpointFormatException or CheckpointTensorMismatchException or TokenizerLoadException or SafeTensorsFormatException
        or ResultsFileException or ShardPlanException or NotSupportedException or FileNotFoundException or DirectoryNotFoundException;

    /// <summary>The message on one line (multi-line messages are joined with "; ").</summary>
    public static string OneLine(Exception ex) =>
        string.Join("; ", ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
