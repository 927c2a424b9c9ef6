using Microsoft.Extensions.Logging;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// Chooses and creates <see cref="IAnswerChecker"/>s. Automatic choice per dataset: multiple choice when its samples
/// carry <c>choices</c>; text game when the dataset name mentions a text game (jericho, textworld, text_game…);
/// math otherwise. An explicit kind can always be requested instead.
/// </summary>
public sealed class AnswerCheckerFactory
{
    private static readonly string[] TextGameNameHints = ["jericho", "textworld", "text_game", "textgame", "text-game", "zork"];
    private readonly TimeSpan? _mathTimeout;
    private readonly ILogger? _logger;

    /// <summary>Creates a factory; <paramref name="mathTimeout"/> bounds each math check (default 1 s).</summary>
    public AnswerCheckerFactory(TimeSpan? mathTimeout = null, ILogger? logger = null)
    {
        _mathTimeout = mathTimeout;
        _logger = logger;
    }

    /// <summary>Creates a checker of the given kind.</summary>
    public IAnswerChecker Create(AnswerCheckerKind kind) => kind switch
    {
        AnswerCheckerKind.Math => new MathAnswerChecker(_mathTimeout, logger: _logger),
        AnswerCheckerKind.MultipleChoice => new MultipleChoiceChecker(),
        AnswerCheckerKind.TextGame => new TextGameChecker(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown checker kind."),
    };

    /// <summary>The checker kind for a dataset, decided from its name and samples.</summary>
    public static AnswerCheckerKind DetectKind(string datasetName, IEnumerable<EvalSample> samples)
    {
        ArgumentNullException.ThrowIfNull(datasetName);
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Any(s => s.Choices is { Count: > 0 })) return AnswerCheckerKind.MultipleChoice;
        var lower = datasetName.ToLowerInvariant();
        if (TextGameNameHints.Any(lower.Contains)) return AnswerCheckerKind.TextGame;
        return AnswerCheckerKind.Math;
    }

    /// <summary>
    /// One checker per dataset of <paramref name="samples"/>; <paramref name="overrides"/> forces a kind for named
    /// datasets (and <paramref name="forceAll"/>, when set, for every dataset).
    /// </summary>
    public IReadOnlyDictionary<string, IAnswerChecker> ForDatasets(IEnumerable<EvalSample> samples,
        IReadOnlyDictionary<string, AnswerCheckerKind>? overrides = null, AnswerCheckerKind? forceAll = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var result = new Dictionary<string, IAnswerChecker>(StringComparer.Ordinal);
        foreach (var group in samples.GroupBy(s => s.DatasetName))
        {
            var kind = forceAll
                ?? (overrides is not null && overrides.TryGetValue(group.Key, out var k) ? k : DetectKind(group.Key, group));
            result[group.Key] = Create(kind);
        }
        return result;
    }
}
