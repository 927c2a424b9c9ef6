using OrzDynamic.Core.Loading;

namespace OrzDynamic.Core.Precision;

/// <summary>
/// One checkpoint prepared for generation in one dtype and scoring in another, following a <see cref="PrecisionPlan"/>:
/// <see cref="ScoringModel"/> holds the resident weights (scored in <see cref="ScoringDType"/>, converted layer by
/// layer when that differs); <see cref="GenerationModel"/> is the same instance, or one extra copy in the generation
/// dtype. Memory: the resident weights plus at most one copy in the generation dtype; none for bfloat16-stored
/// checkpoints generated in bfloat16 and scored in float32.
/// </summary>
internal sealed class MixedPrecisionModel : IDisposable
{
    private readonly bool _ownsResident;

    /// <summary>Holds <paramref name="resident"/> and, when the plan generates in another dtype, a copy in that dtype.</summary>
    private MixedPrecisionModel(PrecisionPlan plan, CausalLM resident, bool ownsResident)
    {
        Plan = plan;
        ScoringModel = resident;
        GenerationModel = plan.GenerationDType == resident.DType ? resident : ConvertedCopy(resident, plan.GenerationDType);
        _ownsResident = ownsResident;
    }

    /// <summary>The memory layout.</summary>
    public PrecisionPlan Plan { get; }

    /// <summary>The resident weights, used by the scoring pass (run it in <see cref="ScoringDType"/>).</summary>
    public CausalLM ScoringModel { get; }

    /// <summary>The model to generate with (its weight dtype is the generation dtype).</summary>
    public CausalLM GenerationModel { get; }

    /// <summary>Dtype of the scoring pass.</summary>
    public ScalarType ScoringDType => Plan.ScoringDType;

    /// <summary>Dtype of generation.</summary>
    public ScalarType GenerationDType => Plan.GenerationDType;

    /// <summary>Bytes of weights held (resident plus the generation copy, if any).</summary>
    public long WeightBytes => Plan.WeightBytes(ScoringModel.Config.ParameterCount);

    /// <summary>
    /// Loads the checkpoint in <paramref name="directory"/> for generation in <paramref name="generationDType"/> and
    /// scoring in <paramref name="scoringDType"/> (null: <see cref="PrecisionDefaults"/> of the device).
    /// </summary>
    public static MixedPrecisionModel Load(string directory, string device = "cpu", ScalarType? generationDType = null,
        ScalarType? scoringDType = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var dev = ModelLoadOptions.ParseDevice(device);
        var plan = new PrecisionPlan(CheckpointLoader.ReadStorageDType(directory),
            generationDType ?? PrecisionDefaults.Generation(dev), scoringDType ?? PrecisionDefaults.Scoring(dev));
        var resident = CheckpointLoader.LoadOnto(directory, dev, plan.ResidentDType, logger, cancellationToken);
        try
        {
            return Create(plan, resident, ownsResident: true, logger);
        }
        catch
        {
            resident.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Uses an already loaded <paramref name="model"/> (taken as stored in its own dtype; not disposed by this object).
    /// Unlike <see cref="Load"/>, unspecified dtypes default to the model's own dtype (a model handed over is used as
    /// given); a generation copy is made only when <paramref name="generationDType"/> asks for another dtype.
    /// </summary>
    public static MixedPrecisionModel Wrap(CausalLM model, ScalarType? generationDType = null, ScalarType? scoringDType = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var plan = new PrecisionPlan(model.DType, generationDType ?? model.DType, scoringDType ?? model.DType, FixedResidentDType: model.DType);
        return Create(plan, model, ownsResident: false, logger ?? NullLogger.Instance);
    }

    private static MixedPrecisionModel Create(PrecisionPlan plan, CausalLM resident, bool ownsResident, ILogger logger)
    {
        var result = new MixedPrecisionModel(plan, resident, ownsResident);
        logger.LogInformation("Precision: {Plan}; {GB:F2} GB of weights", plan, result.WeightBytes / 1e9);
        return result;
    }

    /// <summary>A new model with the weights of <paramref name="source"/> converted to <paramref name="dtype"/>.</summary>
    public static CausalLM ConvertedCopy(CausalLM source, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(source);
        var copy = new CausalLM(source.Config, dtype, source.Device);
        try
        {
            using var grad = no_grad();
            var from = source.NamedWeights().ToDictionary(w => w.Name, w => w.Parameter, StringComparer.Ordinal);
            foreach (var (name, parameter) in copy.NamedWeights()) parameter.copy_(from[name]);
            return copy;
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!ReferenceEquals(GenerationModel, ScoringModel)) GenerationModel.Dispose();
        if (_ownsResident) ScoringModel.Dispose();
    }
}
