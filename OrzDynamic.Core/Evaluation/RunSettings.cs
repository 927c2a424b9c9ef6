using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Precision;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The settings of one checkpoint's evaluation, resolved once from a validated <see cref="EvaluatorConfig"/>: dtype
/// names parsed to <see cref="ScalarType"/>s, the device type, the effective tokenizer directory and checkpoint label,
/// and the decoding temperature. Every stage reads these; none parses a setting again.
/// </summary>
internal sealed class RunSettings
{
    private RunSettings(EvaluatorConfig config)
    {
        Config = config;
        DType = ParseDType(config.DType);
        GenerationDType = config.GenerationDType is null ? DType : ParseDType(config.GenerationDType);
        ScoringDType = config.ScoringDType is null ? DType : ParseDType(config.ScoringDType);
        ThinkSegments = PromptRendering.ThinkSegmentsOn(config);
        DeviceType = config.Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase) ? TorchSharp.DeviceType.CUDA : TorchSharp.DeviceType.CPU;
    }

    /// <summary>The settings as the user gave them.</summary>
    public EvaluatorConfig Config { get; }

    /// <summary>The dtype <see cref="EvaluatorConfig.DType"/> names for both passes (null: none given); a probe loads its checkpoint in it.</summary>
    public ScalarType? DType { get; }

    /// <summary>The generation dtype asked for (null: the device default, or a loaded model's own dtype).</summary>
    public ScalarType? GenerationDType { get; }

    /// <summary>The scoring dtype asked for (null: the device default, or a loaded model's own dtype).</summary>
    public ScalarType? ScoringDType { get; }

    /// <summary>The type of <see cref="EvaluatorConfig.Device"/> (no availability check).</summary>
    public TorchSharp.DeviceType DeviceType { get; }

    /// <summary>Whether responses are split at <c>&lt;/think&gt;</c> and their segments scored (default: on with the chat template).</summary>
    public bool ThinkSegments { get; }

    /// <summary>The checkpoint label of the results.</summary>
    public string CheckpointName => Config.EffectiveCheckpointName;

    /// <summary>The tokenizer directory, absolute (<see cref="Absolute"/>).</summary>
    public string TokenizerPath => Absolute(Config.EffectiveTokenizerPath);

    /// <summary>The checkpoint directory, absolute (<see cref="Absolute"/>); empty for an in-memory model.</summary>
    public string ModelPath => string.IsNullOrEmpty(Config.ModelPath) ? "" : Absolute(Config.ModelPath);

    /// <summary>The output directory, absolute (<see cref="Absolute"/>).</summary>
    public string OutputDir => Absolute(Config.OutputDir);

    /// <summary>
    /// The one spelling of a path in manifests and plans: absolute, against the working directory, without a
    /// trailing separator, so the same file named another way (relative, <c>./x</c>, <c>x/</c>) is the same setting.
    /// </summary>
    public static string Absolute(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        return full.Length > 1 ? Path.TrimEndingDirectorySeparator(full) : full;
    }

    /// <summary>The decoding temperature (0 when <see cref="EvaluatorConfig.DoSample"/> is off).</summary>
    public double Temperature => Config.DoSample ? Config.Temperature : 0;

    /// <summary>
    /// The generation and scoring dtypes a checkpoint loaded on the device runs in: the requested ones, else
    /// <see cref="PrecisionDefaults"/> of the device.
    /// </summary>
    public (ScalarType Generation, ScalarType Scoring) DeviceDTypes()
    {
        // The device type only: plans are often made on a login node without the GPU.
        var device = new Device(DeviceType, -1);
        return (GenerationDType ?? PrecisionDefaults.Generation(device), ScoringDType ?? PrecisionDefaults.Scoring(device));
    }

    /// <summary>Resolves a validated <paramref name="config"/>.</summary>
    public static RunSettings Of(EvaluatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RunSettings(config);
    }

    private static ScalarType? ParseDType(string? name) => name is null ? null : ModelLoadOptions.ParseDType(name);
}
