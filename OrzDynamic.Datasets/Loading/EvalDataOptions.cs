using OrzDynamic.Datasets.Templates;

namespace OrzDynamic.Datasets.Loading;

/// <summary>Options of <see cref="EvalDataLoader"/>.</summary>
public sealed record EvalDataOptions
{
    /// <summary>
    /// When set, a random subset of this many samples over all files is kept (reproducible with <see cref="Seed"/>);
    /// null keeps every sample.
    /// </summary>
    public int? MaxEvalSamples { get; init; }

    /// <summary>Seed of the <see cref="MaxEvalSamples"/> subset.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Debug mode: keep only the first <see cref="DebugSamplesPerFile"/> samples of each file.</summary>
    public bool DebugMode { get; init; }

    /// <summary>Samples kept per file in <see cref="DebugMode"/> (default 2).</summary>
    public int DebugSamplesPerFile { get; init; } = 2;

    /// <summary>Rendered prompts (template applied) with more tokens than this are skipped with a warning and counted (requires a tokenizer); null = no limit.</summary>
    public int? PromptMaxLen { get; init; }

    /// <summary>
    /// False (default): any malformed record makes loading throw a <see cref="DataFormatException"/> listing every problem.
    /// True: malformed records are skipped, each with a logged warning, and counted in the result. Problems with a
    /// whole file (not JSON, wrong root type, empty) always throw.
    /// </summary>
    public bool SkipInvalidRecords { get; init; }

    /// <summary>
    /// False (default): a file with invalid UTF-8 is refused, naming the file, line and byte offset. True: invalid byte
    /// sequences become U+FFFD, with a warning naming the file and the offsets.
    /// </summary>
    public bool ReplaceInvalidUtf8 { get; init; }

    /// <summary>The prompt template (default: the ORZ template).</summary>
    public PromptTemplate Template { get; init; } = PromptTemplate.Orz;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range values.</summary>
    public void Validate()
    {
        if (MaxEvalSamples is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxEvalSamples), MaxEvalSamples, "Must be positive when set.");
        if (DebugSamplesPerFile <= 0) throw new ArgumentOutOfRangeException(nameof(DebugSamplesPerFile), DebugSamplesPerFile, "Must be positive.");
        if (PromptMaxLen is <= 0) throw new ArgumentOutOfRangeException(nameof(PromptMaxLen), PromptMaxLen, "Must be positive when set.");
        ArgumentNullException.ThrowIfNull(Template);
    }
}
