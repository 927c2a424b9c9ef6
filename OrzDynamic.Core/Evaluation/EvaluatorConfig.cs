using System.Text.RegularExpressions;
using OrzDynamic.Datasets.Checking;

namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// Settings of one evaluation run, mirroring the Python tool's <c>EvaluatorConfig</c> (same meanings and defaults,
/// C# names) plus the settings the C# version adds. Validate with <see cref="Validate"/>; the
/// <see cref="Evaluator"/> does so on construction.
/// </summary>
public sealed record EvaluatorConfig
{
    /// <summary>Hugging Face checkpoint directory (config.json + model.safetensors[.index.json]).</summary>
    public string ModelPath { get; init; } = "";

    /// <summary>Directory holding tokenizer.json / tokenizer_config.json; defaults to <see cref="ModelPath"/>.</summary>
    public string? TokenizerPath { get; init; }

    /// <summary>Sampling temperature (Python default 1.0). 0 means greedy.</summary>
    public double Temperature { get; init; } = Defaults.Temperature;

    /// <summary>Nucleus sampling mass in (0, 1]; 1 = off.</summary>
    public double TopP { get; init; } = Defaults.TopP;

    /// <summary>Top-k sampling; −1 or 0 = off.</summary>
    public int TopK { get; init; } = Defaults.TopK;

    /// <summary>Maximum number of generated tokens per answer.</summary>
    public int GenerateMaxLen { get; init; } = Defaults.GenerateMaxLen;

    /// <summary>
    /// Answers generated per prompt (K, default 1). Each answer has its own seed from (run seed, dataset, index, sample
    /// number); sample 0 uses the seed of a one-answer run, so a run with more samples extends one with fewer in the
    /// same output directory. With K &gt; 1 the summary adds avg@K, pass@k and maj@K per dataset.
    /// </summary>
    public int NSamples { get; init; } = 1;

    /// <summary>Sample (true) or decode greedily (false).</summary>
    public bool DoSample { get; init; } = true;

    /// <summary>Evaluation data files (JSON array or JSONL); dataset name = file name without extension.</summary>
    public IReadOnlyList<string> EvalPromptData { get; init; } = [];

    /// <summary>Prompts longer than this many tokens are skipped (with a warning, and counted).</summary>
    public int PromptMaxLen { get; init; } = Defaults.PromptMaxLen;

    /// <summary>Seeded random subset size over all files; null = all samples.</summary>
    public int? MaxEvalSamples { get; init; }

    /// <summary>
    /// This checkpoint's output directory: results.jsonl, summary.json, run_manifest.json and its charts. Not set, it
    /// is <c>orz_dynamic_log/&lt;checkpoint name&gt;</c> (<see cref="EffectiveCheckpointName"/>), the layout of the CLI,
    /// so checkpoints evaluated with the defaults never share a directory. Two checkpoints given the same directory
    /// are refused when the second one starts (its model differs from the run manifest's).
    /// </summary>
    public string OutputDir
    {
        get => _outputDir ?? Path.Combine(Defaults.OutputDir, EffectiveCheckpointName);
        init => _outputDir = value;
    }

    private readonly string? _outputDir;

    /// <summary>Also write the Python-style <c>eval_results_&lt;dataset&gt;_&lt;accuracy&gt;.jsonl</c> files at the end. The per-sample journal <c>results.jsonl</c> is written either way (it is the resume source) and never removed.</summary>
    public bool SaveDetailedResults { get; init; } = true;

    /// <summary>Draw comparison charts at the end of the run.</summary>
    public bool EnableVisualization { get; init; } = true;

    /// <summary>Custom sentence files (<c>{"prompt":…,"response":…}</c>, JSONL or JSON array) scored teacher-forced.</summary>
    public IReadOnlyList<string> CustomSentenceFiles { get; init; } = [];

    /// <summary>Log per-sample learning-dynamics details.</summary>
    public bool VerboseLearningDynamics { get; init; }

    /// <summary>Seed for subset selection, sampling and the random-token stratum.</summary>
    public int Seed { get; init; } = Defaults.Seed;

    /// <summary>"cpu", "cuda" or "cuda:N".</summary>
    public string Device { get; init; } = Defaults.Device;

    /// <summary>
    /// "float32", "bfloat16", "float16", or null: sets both <see cref="GenerationDType"/> and <see cref="ScoringDType"/>
    /// where those are not given.
    /// </summary>
    public string? DType { get; init; }

    /// <summary>
    /// Dtype of generation; null = <see cref="DType"/>, else the device default (CPU: bfloat16; for a model handed to
    /// the <see cref="Evaluator"/> already loaded: its own dtype).
    /// </summary>
    public string? GenerationDType { get; init; }

    /// <summary>
    /// Dtype of the teacher-forced scoring pass; null = <see cref="DType"/>, else the device default (CPU: float32; for
    /// a model handed to the <see cref="Evaluator"/> already loaded: its own dtype).
    /// </summary>
    public string? ScoringDType { get; init; }

    /// <summary>Prompts generated together (static batch size, or concurrent slots under continuous batching).</summary>
    public int BatchSize { get; init; } = Defaults.BatchSize;

    /// <summary>Continuous batching (default, fastest) or static batches (bit-exact resume); see <see cref="Generation.GenerationMode"/>.</summary>
    public Generation.GenerationMode GenerationMode { get; init; } = Generation.GenerationMode.Continuous;

    /// <summary>Distinct response positions scored alone per sample for the random-token stratum.</summary>
    public int RandomTokensPerSample { get; init; } = Defaults.RandomTokensPerSample;

    /// <summary>Debug mode: take the first N samples of each file (null = off).</summary>
    public int? DebugNumSamples { get; init; }

    /// <summary>Positions per lm_head chunk in the scoring pass (memory ∝ chunk × vocab).</summary>
    public int ScoringChunkSize { get; init; } = Defaults.ScoringChunkSize;

    /// <summary>Reproduce the ORZ fork's clamped A_norm (to compare with existing ORZ logs).</summary>
    public bool LegacyOrzClamps { get; init; }

    /// <summary>
    /// The prompt template: null or <see cref="OrzPromptTemplate"/> = the ORZ template; <see cref="ChatPromptTemplate"/>
    /// = the checkpoint's own chat template (the question as one user message, after <see cref="SystemPrompt"/> if
    /// given, with <c>add_generation_prompt</c> true); anything else is a template text with the <c>{prompt}</c> and
    /// <c>{bos_token}</c> placeholders.
    /// </summary>
    public string? PromptTemplate { get; init; }

    /// <summary>The <see cref="PromptTemplate"/> name of the ORZ template.</summary>
    public const string OrzPromptTemplate = "orz";

    /// <summary>The <see cref="PromptTemplate"/> name of the checkpoint's chat template.</summary>
    public const string ChatPromptTemplate = "chat";

    /// <summary>System message placed before the question (only with the chat template); null = none.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>
    /// Extra variables of the chat template, as transformers' <c>chat_template_kwargs</c> (e.g.
    /// <c>enable_thinking</c> = false for Qwen3); values are strings, booleans, numbers or null. Only with the chat template.
    /// </summary>
    public IReadOnlyDictionary<string, object?> ChatTemplateKwargs { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;

    /// <summary>
    /// Split each response at <c>&lt;/think&gt;</c> and report every metric for the <c>think</c> and <c>answer</c>
    /// segments besides the whole response; null = on for the chat template, off otherwise.
    /// </summary>
    public bool? ThinkSegments { get; init; }

    /// <summary>Whether <see cref="PromptTemplate"/> names the checkpoint's chat template.</summary>
    public bool UsesChatTemplate => PromptTemplate == ChatPromptTemplate;

    /// <summary>Store per-token traces (log p of each response token, argmax id, p_max) in each JSONL line.</summary>
    public bool SaveTokenTraces { get; init; }

    /// <summary>Skip malformed data records (a warning each, counted in the results) instead of refusing the files.</summary>
    public bool SkipInvalidRecords { get; init; }

    /// <summary>
    /// Replace invalid UTF-8 in data and custom sentence files with U+FFFD (a warning names file and byte offsets)
    /// instead of refusing the file (the default).
    /// </summary>
    public bool AllowInvalidUtf8 { get; init; }

    /// <summary>Level of the confidence intervals in the results (Wilson for accuracy, Student-t for metric means); default 0.95.</summary>
    public double ConfidenceLevel { get; init; } = Defaults.ConfidenceLevel;

    /// <summary>Label of the checkpoint in results; null = the model directory's name.</summary>
    public string? CheckpointName { get; init; }

    /// <summary>
    /// Answer checker per dataset: dataset name (data file name without extension) → checker name in
    /// <see cref="CheckerRegistry"/> (built in: "math", "multiple_choice", "text_game"); the key "*" applies to every
    /// dataset without an entry of its own. Datasets without a selection get the default (choices → multiple choice,
    /// text-game file names → text game, else math).
    /// </summary>
    public IReadOnlyDictionary<string, string> AnswerCheckers { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The checkers <see cref="AnswerCheckers"/> refers to, with any custom ones registered; null = the built-in checkers.</summary>
    public AnswerCheckerRegistry? CheckerRegistry { get; init; }

    /// <summary>The tokenizer directory actually used.</summary>
    public string EffectiveTokenizerPath => string.IsNullOrEmpty(TokenizerPath) ? ModelPath : TokenizerPath!;

    /// <summary>The checkpoint label actually used.</summary>
    public string EffectiveCheckpointName =>
        !string.IsNullOrEmpty(CheckpointName) ? CheckpointName! :
        string.IsNullOrEmpty(ModelPath) ? "model" : new DirectoryInfo(ModelPath.TrimEnd('/', '\\')).Name;

    private static readonly Regex DevicePattern = new(@"^(cpu|cuda(:\d+)?)$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Checks every value and throws one <see cref="EvaluatorConfigException"/> listing all problems.
    /// </summary>
    /// <param name="requireModelFiles">Whether <see cref="ModelPath"/> must name an existing directory
    /// (false when the evaluator is given an already loaded model).</param>
    public void Validate(bool requireModelFiles = true)
    {
        var errors = new List<string>();
        var ci = CultureInfo.InvariantCulture;
        if (requireModelFiles)
        {
            if (string.IsNullOrWhiteSpace(ModelPath)) errors.Add("ModelPath is required");
            else if (!Directory.Exists(ModelPath)) errors.Add($"ModelPath '{ModelPath}' is not a directory");
            if (!string.IsNullOrEmpty(TokenizerPath) && !Directory.Exists(TokenizerPath))
                errors.Add($"TokenizerPath '{TokenizerPath}' is not a directory");
        }
        if (!double.IsFinite(Temperature) || Temperature < 0) errors.Add(string.Format(ci, "Temperature must be ≥ 0, got {0}", Temperature));
        if (!double.IsFinite(TopP) || TopP <= 0 || TopP > 1) errors.Add(string.Format(ci, "TopP must be in (0, 1], got {0}", TopP));
        if (TopK < -1) errors.Add($"TopK must be −1 (off), 0 (off) or positive, got {TopK}");
        if (GenerateMaxLen <= 0) errors.Add($"GenerateMaxLen must be positive, got {GenerateMaxLen}");
        if (NSamples < 1) errors.Add($"NSamples must be at least 1, got {NSamples}");
        if (EvalPromptData.Count == 0 && CustomSentenceFiles.Count == 0) errors.Add("EvalPromptData names no data file (and there are no CustomSentenceFiles)");
        foreach (var f in EvalPromptData)
            if (string.IsNullOrWhiteSpace(f)) errors.Add("EvalPromptData contains an empty path");
            else if (Directory.Exists(f)) errors.Add($"EvalPromptData '{f}' is a directory; name the data files in it (e.g. {Path.Combine(f, "*.json")})");
            else if (!File.Exists(f)) errors.Add($"EvalPromptData file '{f}' does not exist");
        var stems = EvalPromptData.Where(f => !string.IsNullOrWhiteSpace(f)).GroupBy(f => Path.GetFileNameWithoutExtension(f)).Where(g => g.Count() > 1);
        foreach (var g in stems) errors.Add($"EvalPromptData has two files with the dataset name '{g.Key}': {string.Join(", ", g)}");
        foreach (var f in CustomSentenceFiles)
            if (string.IsNullOrWhiteSpace(f)) errors.Add("CustomSentenceFiles contains an empty path");
            else if (Directory.Exists(f)) errors.Add($"CustomSentenceFiles '{f}' is a directory; name the sentence files in it");
            else if (!File.Exists(f)) errors.Add($"CustomSentenceFiles file '{f}' does not exist");
        if (PromptMaxLen <= 0) errors.Add($"PromptMaxLen must be positive, got {PromptMaxLen}");
        if (MaxEvalSamples is <= 0) errors.Add($"MaxEvalSamples must be positive or null (all), got {MaxEvalSamples}");
        if (string.IsNullOrWhiteSpace(OutputDir)) errors.Add("OutputDir is required");
        if (!DevicePattern.IsMatch(Device ?? "")) errors.Add($"Device must be 'cpu', 'cuda' or 'cuda:N', got '{Device}'");
        if (DType is not null && !IsKnownDType(DType)) errors.Add($"DType must be one of float32, bfloat16, float16 (or unset), got '{DType}'");
        if (GenerationDType is not null && !IsKnownDType(GenerationDType)) errors.Add($"GenerationDType must be one of float32, bfloat16, float16 (or unset), got '{GenerationDType}'");
        if (ScoringDType is not null && !IsKnownDType(ScoringDType)) errors.Add($"ScoringDType must be one of float32, bfloat16, float16 (or unset), got '{ScoringDType}'");
        if (!Enum.IsDefined(GenerationMode)) errors.Add($"GenerationMode must be Continuous or Static, got {(int)GenerationMode}");
        if (BatchSize <= 0) errors.Add($"BatchSize must be positive, got {BatchSize}");
        if (RandomTokensPerSample < 0) errors.Add($"RandomTokensPerSample must be ≥ 0, got {RandomTokensPerSample}");
        if (DebugNumSamples is <= 0) errors.Add($"DebugNumSamples must be positive or null (off), got {DebugNumSamples}");
        if (ScoringChunkSize <= 0) errors.Add($"ScoringChunkSize must be positive, got {ScoringChunkSize}");
        if (!(ConfidenceLevel > 0 && ConfidenceLevel < 1)) errors.Add(string.Format(ci, "ConfidenceLevel must lie strictly between 0 and 1, got {0}", ConfidenceLevel));
        if (PromptTemplate is not null && PromptTemplate is not (OrzPromptTemplate or ChatPromptTemplate) && !PromptTemplate.Contains("{prompt}", StringComparison.Ordinal))
            errors.Add($"PromptTemplate must be '{OrzPromptTemplate}', '{ChatPromptTemplate}' or a text with the {{prompt}} placeholder");
        if (!UsesChatTemplate && SystemPrompt is not null) errors.Add($"SystemPrompt needs PromptTemplate '{ChatPromptTemplate}' (the checkpoint's chat template)");
        if (!UsesChatTemplate && ChatTemplateKwargs.Count > 0) errors.Add($"ChatTemplateKwargs need PromptTemplate '{ChatPromptTemplate}' (the checkpoint's chat template)");
        foreach (var (key, value) in ChatTemplateKwargs)
            if (string.IsNullOrWhiteSpace(key)) errors.Add("ChatTemplateKwargs has an empty name");
            else if (!IsScalar(value)) errors.Add($"ChatTemplateKwargs '{key}' must be a string, boolean, number or null, got {value?.GetType().Name}");
        errors.AddRange(AnswerCheckerSelection.Validate(this));
        if (errors.Count > 0) throw new EvaluatorConfigException(errors);
    }

    /// <summary>A chat template variable value: null, a string, a boolean or a number (typed, or as read back from plan.json).</summary>
    private static bool IsScalar(object? value) => value is null or string or bool or int or long or double
        || value is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number
            or System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Null };

    /// <summary>Whether the model loader accepts <paramref name="name"/> (one rule for validation and loading).</summary>
    private static bool IsKnownDType(string name) => Loading.ModelLoadOptions.TryParseDType(name, out _);
}
