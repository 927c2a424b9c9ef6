namespace OrzDynamic.Datasets.Checking;

/// <summary>Which rule decided an <see cref="AnswerCheckResult"/>.</summary>
public enum AnswerCheckStage
{
    /// <summary>No answer could be extracted from the output.</summary>
    NoAnswer,
    /// <summary>Equal after the Hendrycks MATH normalisation.</summary>
    MathNormalization,
    /// <summary>Decided by comparing parsed LaTeX expressions.</summary>
    Expression,
    /// <summary>Decided by comparing Minerva-normalised strings (parsing failed).</summary>
    MinervaString,
    /// <summary>Rejected as a long, highly repetitive answer without parsing.</summary>
    Repetitive,
    /// <summary>The check hit its time limit and counts as wrong.</summary>
    TimedOut,
    /// <summary>Decided by the multiple-choice letter comparison.</summary>
    MultipleChoice,
    /// <summary>Decided by the text-game action comparison.</summary>
    TextGame,
    /// <summary>The gold text yields no answer (see <see cref="MathAnswerChecker.ValidateGoldAnswers"/>); never a match.</summary>
    NoGoldAnswer,
    /// <summary>Decided by comparing normalised text (an answer that is not parsed as mathematics).</summary>
    Text,
}
