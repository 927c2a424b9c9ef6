namespace OrzDynamic.Datasets;

/// <summary>
/// The little Datasets needs from a tokenizer: encoding (for prompt-length limits) and the bos token text
/// (for the prompt template). Implemented by OrzDynamic.Core's tokenizers; Datasets does not depend on Core.
/// </summary>
public interface IPromptTokenizer
{
    /// <summary>Encodes <paramref name="text"/> to token ids as the model will see it (no special tokens added).</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>The text of the beginning-of-sequence token (e.g. "&lt;s&gt;"), or null when the tokenizer has none.</summary>
    string? BosToken { get; }
}
