namespace OrzDynamic.Core.Precision;

/// <summary>
/// How a checkpoint is held in memory when generation and scoring run in different dtypes. The weights are kept once
/// in <see cref="ResidentDType"/>; the scoring pass runs in <see cref="ScoringDType"/> by converting each layer's
/// weights for the pass only (exact when it widens the stored dtype, e.g. bfloat16 → float32); generation runs on
/// the resident weights when <see cref="GenerationDType"/> equals <see cref="ResidentDType"/>, else on one extra copy
/// in the generation dtype (converting per decoding step would cost more bandwidth than it saves).
/// </summary>
/// <param name="StorageDType">Dtype of the weights in the checkpoint files (the widest one when they are mixed).</param>
/// <param name="GenerationDType">Dtype of generation (prefill and decoding).</param>
/// <param name="ScoringDType">Dtype of the teacher-forced scoring pass.</param>
/// <param name="FixedResidentDType">Resident dtype imposed from outside (an already loaded model); null = chosen by the rule below.</param>
internal sealed record PrecisionPlan(ScalarType StorageDType, ScalarType GenerationDType, ScalarType ScoringDType, ScalarType? FixedResidentDType = null)
{
    /// <summary>
    /// The dtype the weights are loaded in: the generation dtype when both passes share it (one copy, as before);
    /// else the storage dtype when one of the passes uses it (so scoring sees the weights exactly as stored, with no
    /// copy for bfloat16-stored checkpoints); else the scoring dtype.
    /// </summary>
    public ScalarType ResidentDType =>
        FixedResidentDType ?? (GenerationDType == ScoringDType ? GenerationDType
        : StorageDType == GenerationDType || StorageDType == ScoringDType ? StorageDType
        : ScoringDType);

    /// <summary>Whether generation needs a second copy of the weights (in <see cref="GenerationDType"/>).</summary>
    public bool NeedsGenerationCopy => GenerationDType != ResidentDType;

    /// <summary>Whether the scoring pass converts the resident weights layer by layer.</summary>
    public bool ScoresByLayerConversion => ScoringDType != ResidentDType;

    /// <summary>Bytes of weights held in total for <paramref name="parameterCount"/> parameters.</summary>
    public long WeightBytes(long parameterCount) =>
        parameterCount * (ElementSize(ResidentDType) + (NeedsGenerationCopy ? ElementSize(GenerationDType) : 0));

    /// <summary>Bytes per element of a floating dtype.</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => 4,
        ScalarType.BFloat16 or ScalarType.Float16 => 2,
        ScalarType.Float64 => 8,
        _ => throw new ArgumentException($"Not a model dtype: {dtype}.", nameof(dtype)),
    };

    /// <summary>A one-line description for logs and the README.</summary>
    public override string ToString() =>
        $"stored {Name(StorageDType)}, resident {Name(ResidentDType)}; generation {Name(GenerationDType)}" +
        (NeedsGenerationCopy ? " (extra copy)" : "") + $"; scoring {Name(ScoringDType)}" + (ScoresByLayerConversion ? " (layer-by-layer conversion)" : "");

    /// <summary>Canonical lower-case name of a dtype (float32, bfloat16, float16).</summary>
    public static string Name(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => dtype.ToString(),
    };
}
