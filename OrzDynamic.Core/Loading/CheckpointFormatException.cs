namespace OrzDynamic.Core.Loading;

/// <summary>A checkpoint directory file (config.json, index, weights) is malformed or inconsistent.</summary>
internal sealed class CheckpointFormatException : FileContentException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The offending file.</param>
    /// <param name="item">The config field or tensor concerned, or null.</param>
    /// <param name="reason">What is wrong.</param>
    /// <param name="inner">Underlying error, if any.</param>
    public CheckpointFormatException(string filePath, string? item, string reason, Exception? inner = null)
        : base(filePath, item, reason, item is null ? $"Invalid checkpoint file '{filePath}': {reason}" : $"Invalid checkpoint file '{filePath}', '{item}': {reason}", inner)
    {
    }

    /// <summary>The config field or tensor concerned, or null.</summary>
    public string? Item => Part;
}
