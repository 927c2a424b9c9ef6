namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The event of information-level log lines that state a decision about what is evaluated: a resume, the selection
/// with its skipped prompts, the prompt limit. A host may show these on its console beside the warnings (the CLI
/// does, matching <see cref="Name"/>).
/// </summary>
internal static class DecisionLog
{
    /// <summary>The event name hosts match.</summary>
    public const string Name = "OrzDynamic.Decision";

    /// <summary>The event of decision lines.</summary>
    public static readonly EventId Event = new(1001, Name);
}
