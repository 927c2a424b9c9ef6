namespace OrzDynamic.Core.Generation;

/// <summary>Decoding settings.</summary>
internal sealed record GenerationOptions
{
    /// <summary>Maximum number of tokens generated per row (the stopping eos counts as one).</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>
    /// Position limit: a row stops (<see cref="FinishReason.ContextLimit"/>) when its prompt plus generated tokens
    /// reach it; a longer prompt is refused. Null = the model's max_position_embeddings.
    /// </summary>
    public int? MaxPositions { get; init; }

    /// <summary>Sampling temperature; 0 (or less) means greedy decoding.</summary>
    public double Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens before sampling; −1 or 0 disables.</summary>
    public int TopK { get; init; } = -1;

    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches top_p; 1 disables.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of the sampling generator (reproducible runs); null = a fixed default seed of 0.</summary>
    public long? Seed { get; init; }

    /// <summary>Stop tokens; null = the model config's eos ids.</summary>
    public IReadOnlyList<int>? EosTokenIds { get; init; }

    /// <summary>Token used for left padding and for rows that already finished (never attended to).</summary>
    public int PadTokenId { get; init; }

    /// <summary>True when sampling rather than greedy decoding.</summary>
    public bool DoSample => Temperature > 0;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be at least 1");
        if (MaxPositions is < 2) throw new ArgumentOutOfRangeException(nameof(MaxPositions), MaxPositions, "must be at least 2 (or null)");
        if (TopP is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "must be in (0, 1]");
        if (TopK < -1) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "must be −1, 0 or positive");
        if (double.IsNaN(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be a number");
    }
}
