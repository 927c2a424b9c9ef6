namespace OrzDynamic.Core.Tokenization;

/// <summary>Thrown when a tokenizer file is missing, is not valid JSON, or has a missing or malformed field.</summary>
internal sealed class TokenizerLoadException : OrzDynamicException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> and the JSON <paramref name="field"/> at fault.</summary>
    public TokenizerLoadException(string filePath, string? field, string message, Exception? inner = null)
        : base(Format(filePath, field, message), inner)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>The file that could not be loaded.</summary>
    public string FilePath { get; }

    /// <summary>The JSON field at fault (a dotted path such as <c>model.merges[3]</c>), or null for whole-file problems.</summary>
    public string? Field { get; }

    private static string Format(string filePath, string? field, string message) =>
        field is null ? $"{filePath}: {message}" : $"{filePath}: field '{field}': {message}";
}
