using OrzDynamic.Core.Tokenization;
namespace OrzDynamic.Trainer.Tokenization;

/// <summary>Settings of <see cref="ByteLevelBpeTrainer"/>.</summary>
public sealed record ByteLevelBpeTrainerOptions
{
    /// <summary>The Qwen2/Qwen3 pre-tokenizer regex (single digits, letters with one leading non-letter, …).</summary>
    public const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>Target number of ids: 256 byte tokens + learned merges + added tokens. Training stops early when no pair is frequent enough.</summary>
    public int VocabSize { get; init; } = 512;

    /// <summary>Special added tokens (matched before BPE, dropped by skip-special-tokens decoding), in id order.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = ["<|endoftext|>"];

    /// <summary>Added tokens that are matched whole but are not special (kept when decoding with skip-special-tokens), e.g. "&lt;think&gt;".</summary>
    public IReadOnlyList<string> NonSpecialTokens { get; init; } = [];

    /// <summary>End-of-sequence token; default: the first special token.</summary>
    public string? EosToken { get; init; }

    /// <summary>Padding token; default: the eos token.</summary>
    public string? PadToken { get; init; }

    /// <summary>Beginning-of-sequence token (written to tokenizer_config.json only; not added by the post-processor); default none.</summary>
    public string? BosToken { get; init; }

    /// <summary>Pre-tokenizer regex written into tokenizer.json and used for training; default <see cref="QwenPattern"/>.</summary>
    public string PreTokenizerPattern { get; init; } = QwenPattern;

    /// <summary>Whether tokenizer.json gets an NFC normalizer (as Qwen has). Off by default so that decode(encode(x)) == x for every string.</summary>
    public bool NfcNormalizer { get; init; }

    /// <summary>A pair must occur at least this often (weighted by word counts) to be merged.</summary>
    public int MinPairFrequency { get; init; } = 2;

    /// <summary><c>model_max_length</c> written to tokenizer_config.json.</summary>
    public int ModelMaxLength { get; init; } = 2048;

    /// <summary>Optional Jinja chat template written to tokenizer_config.json.</summary>
    public string? ChatTemplate { get; init; }
}
