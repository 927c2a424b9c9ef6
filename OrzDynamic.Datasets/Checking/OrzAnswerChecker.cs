using System.Text.RegularExpressions;
using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking;

/// <summary>
/// The ORZ definition of a correct math answer (the Python tool's checker, registered as <c>orz</c>). The final answer is extracted with
/// <see cref="AnswerExtraction.ExtractFinalAnswer"/>, both it and the gold answer are unwrapped with
/// <see cref="AnswerExtraction.SolutionToAnswer"/>, and they are equal when (1) the Hendrycks MATH normalisation makes
/// them equal, as written or after delimiter sizing is dropped (<c>\left</c>, <c>\right</c>, <c>\bigl</c>…, and a sized
/// <c>\left( … \right)</c> around a whole single-valued answer), or otherwise — unless either is longer than 128
/// characters and highly repetitive — (2) both parse as LaTeX and are equivalent (numerically, <c>\pm</c> as a formal
/// sign), else their Minerva normalisations (unit words removed as whole words only) both parse and are equivalent, or
/// (when those do not parse) the Minerva-normalised strings are identical.
/// </summary>
public sealed class OrzAnswerChecker : IAnswerChecker
{
    private readonly ExpressionEquivalence _equivalence;
    private readonly ILogger _logger;

    /// <summary>Creates the checker.</summary>
    /// <param name="timeout">Time limit of one check (the Python tool uses 1 s); a check over the limit counts as wrong. Default 1 s.</param>
    /// <param name="logger">Receives a warning when a check times out.</param>
    public OrzAnswerChecker(TimeSpan? timeout = null, ILogger? logger = null)
        : this(timeout, null, logger)
    {
    }

    /// <summary>Creates the checker with a specific expression comparer (default: relative tolerance 1e-9, 5 sample points).</summary>
    internal OrzAnswerChecker(TimeSpan? timeout, ExpressionEquivalence? equivalence, ILogger? logger)
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(1);
        if (Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
        _equivalence = equivalence ?? new ExpressionEquivalence();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Time limit of one check.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc />
    public AnswerCheckResult Check(string goldAnswer, string modelOutput, IReadOnlyDictionary<string, string>? choices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(goldAnswer);
        ArgumentNullException.ThrowIfNull(modelOutput);
        var final = AnswerExtraction.ExtractFinalAnswer(modelOutput);
        var gold = AnswerExtraction.SolutionToAnswer(goldAnswer);
        var predicted = AnswerExtraction.SolutionToAnswer(final);
        var (equal, stage) = Compare(gold, predicted, cancellationToken);
        if (final.Length == 0 && !equal) stage = AnswerCheckStage.NoAnswer;
        return new AnswerCheckResult(equal, predicted, gold, stage);
    }

    /// <summary>ORZ's <c>is_equal(gold, predicted)</c> on two already-unwrapped answers.</summary>
    public bool AreEqual(string gold, string predicted, CancellationToken cancellationToken = default)
        => Compare(gold, predicted, cancellationToken).Equal;

    /// <summary>Like <see cref="AreEqual"/>, also returning the deciding stage.</summary>
    public (bool Equal, AnswerCheckStage Stage) Compare(string gold, string predicted, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(predicted);
        if (MathNormalizer.IsEquivalent(gold, predicted)) return (true, AnswerCheckStage.MathNormalization);
        // \left( X \right) around a whole answer is grouping; sizing commands are not part of the answer.
        bool sized = SizedDelimiters.ContainsSizing(gold) || SizedDelimiters.ContainsSizing(predicted);
        var g = sized ? SizedDelimiters.Normalize(gold) : gold;
        var p = sized ? SizedDelimiters.Normalize(predicted) : predicted;
        if (sized && MathNormalizer.IsEquivalent(g, p)) return (true, AnswerCheckStage.MathNormalization);

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutCts.CancelAfter(Timeout);
        var deadline = new Deadline(System.Diagnostics.Stopwatch.StartNew(), Timeout, timeoutCts);
        try
        {
            if (Repetitiveness.IsLongAndRepetitive(gold, timeoutCts.Token) || Repetitiveness.IsLongAndRepetitive(predicted, timeoutCts.Token))
                return (false, AnswerCheckStage.Repetitive);
            deadline.ThrowIfExpired();
            var result = CompareLatex(g, p, deadline);
            if (result.Equal || !sized) return result;
            // Unwrapping only ever removes grouping; the answers as written are still tried (e.g. both fully wrapped tuples).
            var asWritten = CompareLatex(gold, predicted, deadline);
            return asWritten.Equal ? asWritten : result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("Answer check exceeded {Timeout} and counts as wrong (gold {Gold}, predicted {Predicted}).",
                Timeout, Shorten(gold), Shorten(predicted));
            return (false, AnswerCheckStage.TimedOut);
        }
        catch (RegexMatchTimeoutException)
        {
            _logger.LogWarning("Answer normalisation timed out and counts as wrong (gold {Gold}, predicted {Predicted}).",
                Shorten(gold), Shorten(predicted));
            return (false, AnswerCheckStage.TimedOut);
        }
    }

    private (bool Equal, AnswerCheckStage Stage) CompareLatex(string gold, string predicted, Deadline deadline)
    {
        var ct = deadline.Token;
        var e1 = LatexParser.TryParse(gold, ct);
        var e2 = e1 is null ? null : LatexParser.TryParse(predicted, ct);
        deadline.ThrowIfExpired();
        if (e1 is not null && e2 is not null && _equivalence.AreEquivalent(e1, e2, ct)) return (true, AnswerCheckStage.Expression);

        var n1 = MinervaNormalizer.Normalize(gold);
        var n2 = MinervaNormalizer.Normalize(predicted);
        deadline.ThrowIfExpired();
        var m1 = LatexParser.TryParse(n1, ct);
        var m2 = m1 is null ? null : LatexParser.TryParse(n2, ct);
        deadline.ThrowIfExpired();
        if (m1 is not null && m2 is not null) return (_equivalence.AreEquivalent(m1, m2, ct), AnswerCheckStage.Expression);
        return (n1 == n2, AnswerCheckStage.MinervaString);
    }

    /// <summary>The time limit of one check: a cancelling timer plus explicit checks between stages.</summary>
    private readonly record struct Deadline(System.Diagnostics.Stopwatch Clock, TimeSpan Limit, CancellationTokenSource Source)
    {
        public CancellationToken Token => Source.Token;

        public void ThrowIfExpired()
        {
            if (Clock.Elapsed > Limit) Source.Cancel();
            Source.Token.ThrowIfCancellationRequested();
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";
}
