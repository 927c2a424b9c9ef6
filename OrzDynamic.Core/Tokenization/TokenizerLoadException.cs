namespace OrzDynamic.Core.Tokenization;

/// <summary>Thrown when a tokenizer file is missing, is not valid JSON, or has a missing or malformed field.</summary>
internal sealed class TokenizerLoadException : FileContentException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> and the JSON <paramref name="field"/> at fault.</summary>
    public TokenizerLoadException(string filePath, string? field, string message, Exception? inner = null)
        : base(filePath, field, message, field is null ? $"{filePath}: {message}" : $"{filePath}: field '{field}': {message}", inner)
    {
    }

    /// <summary>The JSON field at fault (a dotted path such as <c>model.merges[3]</c>), or null for whole-file problems.</summary>
    public string? Field => Part;
}
