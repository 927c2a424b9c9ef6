namespace OrzDynamic.Core.Loading;

/// <summary>The weights of a checkpoint do not match what its config describes.</summary>
internal sealed class CheckpointTensorMismatchException : OrzDynamicException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="directory">Checkpoint directory.</param>
    /// <param name="missing">Expected tensors not found in any weight file.</param>
    /// <param name="unexpected">Tensors found that the model does not use.</param>
    /// <param name="wrongShape">Tensors whose stored shape or dtype differs from what the config implies (with details).</param>
    public CheckpointTensorMismatchException(string directory, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrongShape)
        : base(Compose(directory, missing, unexpected, wrongShape))
    {
        Directory = directory;
        Missing = missing;
        Unexpected = unexpected;
        WrongShape = wrongShape;
    }

    /// <summary>Checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>Expected tensors not found in any weight file.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Tensors found that the model does not use.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Tensors whose stored shape or dtype is wrong, as <c>"name: stored [..] F32, expected [..]"</c>.</summary>
    public IReadOnlyList<string> WrongShape { get; }

    private static string Compose(string dir, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> wrong)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing tensors: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected tensors: {string.Join(", ", unexpected)}");
        if (wrong.Count > 0) parts.Add($"wrong shape/dtype: {string.Join("; ", wrong)}");
        return $"Checkpoint '{dir}' does not match its config: {string.Join(" | ", parts)}";
    }
}
