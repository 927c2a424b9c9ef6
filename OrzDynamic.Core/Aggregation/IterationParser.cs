using System.Text.RegularExpressions;

namespace OrzDynamic.Core.Aggregation;

/// <summary>
/// Gets the training iteration of a checkpoint from its path: the number of the last <c>iter(\d+)</c> match
/// (e.g. <c>runs/iter10/ckpt_iter45</c> → 45); paths without a match get their position in the given order.
/// </summary>
public static partial class IterationParser
{
    [GeneratedRegex(@"iter(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex IterPattern();

    /// <summary>Tries to read the iteration from <paramref name="checkpointPath"/>.</summary>
    /// <param name="checkpointPath">A checkpoint directory or file path.</param>
    /// <param name="iteration">The number of the last <c>iter(\d+)</c> match, or 0 when there is none.</param>
    /// <returns><c>true</c> when the path contains <c>iter</c> followed by digits.</returns>
    /// <exception cref="FormatException">The matched number does not fit in an <see cref="int"/>.</exception>
    public static bool TryParse(string checkpointPath, out int iteration)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        iteration = 0;
        var matches = IterPattern().Matches(checkpointPath);
        if (matches.Count == 0)
        {
            return false;
        }

        var digits = matches[^1].Groups[1].Value;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out iteration))
        {
            throw new FormatException(
                $"Checkpoint path '{checkpointPath}': iteration number 'iter{digits}' does not fit in a 32-bit integer.");
        }

        return true;
    }

    /// <summary>
    /// Gets the iteration of each checkpoint path: the last <c>iter(\d+)</c> number, or else the path's zero-based
    /// index in <paramref name="checkpointPaths"/>.
    /// </summary>
    /// <param name="checkpointPaths">Checkpoint paths in evaluation order.</param>
    /// <returns>One iteration per path, in the same order.</returns>
    /// <exception cref="ArgumentException">A path is null or empty.</exception>
    /// <exception cref="FormatException">A matched number does not fit in an <see cref="int"/>.</exception>
    public static IReadOnlyList<int> Parse(IReadOnlyList<string> checkpointPaths)
    {
        ArgumentNullException.ThrowIfNull(checkpointPaths);
        var result = new int[checkpointPaths.Count];
        for (var i = 0; i < checkpointPaths.Count; i++)
        {
            var path = checkpointPaths[i];
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException($"Checkpoint path at index {i} is null or empty.", nameof(checkpointPaths));
            }

            result[i] = TryParse(path, out var iteration) ? iteration : i;
        }

        return result;
    }
}
