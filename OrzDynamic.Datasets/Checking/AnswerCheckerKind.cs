namespace OrzDynamic.Datasets.Checking;

/// <summary>The available answer checkers.</summary>
public enum AnswerCheckerKind
{
    /// <summary>Math answers: ORZ's boxed extraction and equality (<see cref="MathAnswerChecker"/>).</summary>
    Math,
    /// <summary>Multiple choice with letters A–D (<see cref="MultipleChoiceChecker"/>).</summary>
    MultipleChoice,
    /// <summary>Text-game actions (<see cref="TextGameChecker"/>).</summary>
    TextGame,
}
