namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// One or more checkpoints cannot be evaluated, as their files show before any weight is read; lists every problem of
/// every checkpoint, each naming the checkpoint directory and the file.
/// </summary>
internal sealed class CheckpointPreflightException : OrzDynamicException
{
    /// <summary>Creates the exception from the problems found.</summary>
    public CheckpointPreflightException(IReadOnlyList<string> problems)
        : base(problems.Count == 1 ? "checkpoint check failed: " + problems[0] : $"checkpoint check failed ({problems.Count} problems):\n  - " + string.Join("\n  - ", problems))
    {
        Problems = problems;
    }

    /// <summary>Each problem, e.g. "/ckpt/iter3: /ckpt/iter3/model.safetensors: header length … is invalid".</summary>
    public IReadOnlyList<string> Problems { get; }
}
