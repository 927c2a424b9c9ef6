using System.Text.RegularExpressions;
using OrzDynamic.Datasets.Checking.FreeForm;
using OrzDynamic.Datasets.Loading;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// The free-form math checker (registered as <c>math</c>). The answer is extracted from the output and from the gold
/// text by the same ordered <see cref="AnswerSource"/>s — ORZ answer tags, the last <c>\boxed{}</c>, "final answer is …",
/// the last math block, the whole text when it is one answer, the last number — then normalised (text wrappers, units,
/// percent, thousands separators) and compared as mathematics: unordered lists and sets, ordered tuples, intervals
/// against inequalities, labelled answers and equation chains, rearranged equations, matrices, and expressions
/// evaluated exactly or at seeded random points. An empty answer never matches; a gold without an answer is reported by
/// <see cref="ValidateGoldAnswers"/> and never matches. The rules are listed in CHECKER.md.
/// </summary>
public sealed class MathAnswerChecker : IAnswerChecker
{
    private readonly AnswerEquivalence _equivalence = new();
    private readonly ILogger _logger;
    private readonly AnswerSource[] _sources = FreeFormExtraction.DefaultSources.ToArray();

    /// <summary>Creates the checker with the default answer sources (<see cref="DefaultSources"/>; see <see cref="Sources"/>).</summary>
    /// <param name="timeout">Time limit of one check; a check over the limit counts as wrong. Default 1 s.</param>
    /// <param name="logger">Receives a warning when a check times out.</param>
    public MathAnswerChecker(TimeSpan? timeout = null, ILogger? logger = null)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(1);
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The default order: answer tags, boxed, answer phrase, math block, whole text, bare number.</summary>
    public static IReadOnlyList<AnswerSource> DefaultSources => FreeFormExtraction.DefaultSources;

    /// <summary>Time limit of one check.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Where answers are looked for, in order (default <see cref="DefaultSources"/>); the first source that finds one wins.</summary>
    /// <exception cref="ArgumentException">Set to an empty list.</exception>
    public IReadOnlyList<AnswerSource> Sources
    {
        get => _sources;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0) throw new ArgumentException("At least one answer source is required.", nameof(value));
            _sources = value.ToArray();
        }
    }

    /// <inheritdoc />
    public AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goldAnswer);
        ArgumentNullException.ThrowIfNull(modelOutput);
        return Run(goldAnswer, modelOutput, cancellationToken).Result;
    }

    /// <summary>Whether the answers of two texts are equal (each extracted and normalised as in <see cref="Check"/>).</summary>
    public bool AreEqual(string gold, string predicted, CancellationToken cancellationToken = default)
        => Compare(gold, predicted, cancellationToken).Equal;

    /// <summary>Like <see cref="AreEqual"/>, also returning the deciding stage.</summary>
    public (bool Equal, AnswerCheckStage Stage) Compare(string gold, string predicted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(predicted);
        var r = Run(gold, predicted, cancellationToken).Result;
        return (r.IsCorrect, r.Stage);
    }

    /// <summary>The normalised answer found in <paramref name="text"/>, or null when there is none (or it normalises to nothing).</summary>
    public string? ExtractAnswer(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            return Extract(text, cts.Token)?.ToString();
        }
        catch (Exception e) when (e is RegexMatchTimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>
    /// One error per sample whose gold answer yields no answer (e.g. <c>$$</c>, a unit alone such as <c>\text{cm}</c>,
    /// "square units"): such a gold could never be matched. Each error names the file, record and field.
    /// </summary>
    public IReadOnlyList<DataRecordError> ValidateGoldAnswers(IEnumerable<EvalSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var errors = new List<DataRecordError>();
        foreach (var s in samples)
        {
            // No time limit here: a slow machine must not turn a readable gold into a data error (extraction is linear).
            if (!HasAnswer(s.Answer))
                errors.Add(new DataRecordError(s.SourcePath, s.Index, null, "final_answer",
                    $"the gold answer '{Shorten(s.Answer)}' contains no answer the math checker can read (it would never match)"));
        }
        return errors;
    }

    private bool HasAnswer(string gold)
    {
        try
        {
            return Extract(gold, CancellationToken.None) is not null;
        }
        catch (RegexMatchTimeoutException)
        {
            return true; // not provably empty; the check itself will time out and count as wrong
        }
    }

    private NormalizedAnswer? Extract(string text, CancellationToken ct)
    {
        var found = FreeFormExtraction.Extract(text, Sources, t => AnswerEquivalence.IsAnswerLike(AnswerTextNormalizer.Normalize(t), ct));
        if (found is null) return null;
        var normalized = AnswerTextNormalizer.Normalize(found.Text);
        return normalized.Latex.Length == 0 ? null : normalized;
    }

    private readonly record struct Outcome(AnswerCheckResult Result);

    private Outcome Run(string goldText, string outputText, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        var ct = cts.Token;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The timer cancels asynchronously; the clock is also read between the stages so a short limit is kept exactly.
        void CheckTime()
        {
            if (clock.Elapsed > Timeout) cts.Cancel();
            ct.ThrowIfCancellationRequested();
        }
        string goldShown = string.Empty, predictedShown = string.Empty;
        try
        {
            var gold = Extract(goldText, ct);
            CheckTime();
            if (gold is null) return new(new AnswerCheckResult(false, string.Empty, string.Empty, AnswerCheckStage.NoGoldAnswer));
            goldShown = gold.ToString();
            var predicted = Extract(outputText, ct);
            CheckTime();
            if (predicted is null) return new(new AnswerCheckResult(false, string.Empty, goldShown, AnswerCheckStage.NoAnswer));
            predictedShown = predicted.ToString();
            if (Repetitiveness.IsLongAndRepetitive(predicted.Latex, ct))
                return new(new AnswerCheckResult(false, predictedShown, goldShown, AnswerCheckStage.Repetitive));
            CheckTime();
            var (equal, parsed) = _equivalence.AreEquivalent(gold, predicted, ct);
            CheckTime();
            return new(new AnswerCheckResult(equal, predictedShown, goldShown, parsed ? AnswerCheckStage.Expression : AnswerCheckStage.Text));
        }
        catch (Exception e) when (e is RegexMatchTimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _logger.LogWarning("Answer check exceeded {Timeout} and counts as wrong (gold {Gold}, output {Output}).",
                Timeout, Shorten(goldText), Shorten(outputText));
            return new(new AnswerCheckResult(false, predictedShown, goldShown, AnswerCheckStage.TimedOut));
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
