using System.CommandLine;
using OrzDynamic.Core.Evaluation;
using OrzDynamic.Core.Generation;

namespace OrzDynamic.Cli;

/// <summary>The command line: the Python tool's flags plus the C# version's additions.</summary>
internal sealed class CommandLineDefinition
{
    public Option<string[]> CheckpointPaths { get; } = new("--checkpoint_paths")
    {
        Description = "Checkpoint directories (Hugging Face format), e.g. runs/iter0 runs/iter45 runs/iter90. Trends use iter(\\d+) from the path.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> TokenizerPath { get; } = new("--tokenizer_path") { Description = "Directory with tokenizer.json (default: each checkpoint's own)." };

    public Option<string[]> Data { get; } = new("--data")
    {
        Description = "Evaluation data files (JSON array or JSONL), e.g. math500.json aime2024.json.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> CustomSentence { get; } = new("--custom_sentence")
    {
        Description = "Custom sentence files ({\"prompt\":…,\"response\":…}) scored teacher-forced.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int> MaxEvalSamples { get; } = new("--max_eval_samples") { Description = "Seeded random subset size over all files; -1 = all.", DefaultValueFactory = _ => -1 };
    public Option<string> OutputDir { get; } = new("--output_dir") { Description = "Output directory (one sub-directory per checkpoint).", DefaultValueFactory = _ => Defaults.OutputDir };
    public Option<int> GenerateMaxLen { get; } = new("--generate_max_len") { Description = "Maximum generated tokens per answer.", DefaultValueFactory = _ => Defaults.GenerateMaxLen };
    public Option<int> NSamples { get; } = new("--n_samples")
    {
        Description = "Answers generated per prompt (K). K > 1 adds avg@K, pass@k (k = 1, 2, 4, …, K) and maj@K per dataset; a larger K extends an earlier run in the same output directory.",
        DefaultValueFactory = _ => 1,
    };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Sampling temperature.", DefaultValueFactory = _ => Defaults.Temperature };
    public Option<double> TopP { get; } = new("--top_p") { Description = "Nucleus sampling mass (1 = off).", DefaultValueFactory = _ => Defaults.TopP };
    public Option<int> TopK { get; } = new("--top_k") { Description = "Top-k sampling (-1 = off).", DefaultValueFactory = _ => Defaults.TopK };
    public Option<bool> Greedy { get; } = new("--greedy") { Description = "Greedy decoding instead of sampling." };
    public Option<bool> Debug { get; } = new("--debug") { Description = $"Debug run: {Defaults.DebugNumSamples} samples per dataset, at most {Defaults.DebugGenerateMaxLen} generated tokens." };
    public Option<int> Seed { get; } = new("--seed") { Description = "Seed of subset selection, sampling and the random-token stratum.", DefaultValueFactory = _ => Defaults.Seed };
    public Option<string> Device { get; } = new("--device") { Description = "cpu, cuda or cuda:N.", DefaultValueFactory = _ => Defaults.Device };
    public Option<string?> DType { get; } = new("--dtype") { Description = "float32, bfloat16 or float16 for both generation and scoring (default: the measured best for the device)." };
    public Option<string?> GenerationDType { get; } = new("--generation_dtype") { Description = "Dtype of generation (overrides --dtype; CPU default bfloat16)." };
    public Option<string?> ScoringDType { get; } = new("--scoring_dtype") { Description = "Dtype of the scoring pass (overrides --dtype; CPU default float32)." };
    public Option<string> Batching { get; } = WithChoices(new Option<string>("--batching")
    {
        Description = "continuous (default, fastest: a finished answer's slot is refilled at once) or static (fixed batches: bit-exact resume).",
        DefaultValueFactory = _ => "continuous",
    }, "continuous", "static");
    public Option<int> BatchSize { get; } = new("--batch_size") { Description = "Prompts generated together.", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Log per-sample learning-dynamics metrics." };
    public Option<bool> AllowInvalidUtf8 { get; } = new("--allow_invalid_utf8") { Description = "Replace invalid UTF-8 in data files with U+FFFD (with a warning) instead of refusing them." };
    public Option<string?> ProbeAnswersFrom { get; } = new("--probe_answers_from") { Description = "Score the answers one checkpoint generated (last, first, a checkpoint name such as iter90, or an earlier output directory) teacher-forced under every checkpoint; the reference is evaluated first." };
    public Option<string?> HeatmapSamples { get; } = new("--heatmap_samples") { Description = "Per-token heatmaps of probed answers: dataset:index pairs (math500:12,aime2024:3) or a count N (the N with the largest change)." };
    public Option<int> FixedItemLines { get; } = new("--fixed_item_lines") { Description = "Single-text lines per fixed-response trend chart (custom sentences, probes).", DefaultValueFactory = _ => Defaults.FixedItemLines };
    public Option<string> ErrorBars { get; } = WithChoices(new Option<string>("--error_bars")
    {
        Description = "Bands of the trend charts: std (mean ± std, as the Python tool) or ci (confidence interval).",
        DefaultValueFactory = _ => "std",
    }, "std", "ci");
    public Option<double> ConfidenceLevel { get; } = new("--confidence_level") { Description = "Level of the confidence intervals (Wilson, Student t) and effect intervals.", DefaultValueFactory = _ => Defaults.ConfidenceLevel };

    public Option<string> PromptTemplate { get; } = new("--prompt_template")
    {
        Description = "orz (the ORZ template), chat (the checkpoint's chat template: the question as one user message, generation prompt added) or a file with a text template using {prompt} and {bos_token}.",
        DefaultValueFactory = _ => EvaluatorConfig.OrzPromptTemplate,
    };
    public Option<string?> SystemPrompt { get; } = new("--system_prompt") { Description = "System message before the question (with --prompt_template chat)." };
    public Option<string[]> ChatTemplateKwargs { get; } = new("--chat_template_kwargs")
    {
        Description = "Chat template variables key=value (true/false, numbers, null, else text), e.g. enable_thinking=false.",
        AllowMultipleArgumentsPerToken = true,
    };
    public Option<string> ThinkSegments { get; } = WithChoices(new Option<string>("--think_segments")
    {
        Description = "Split responses at </think> and report every metric for the think and answer segments too: on, off, or auto (on with --prompt_template chat).",
        DefaultValueFactory = _ => "auto",
    }, "auto", "on", "off");
    public Option<string> TrendSegment { get; } = WithChoices(new Option<string>("--trend_segment")
    {
        Description = "Response segment shown by the trend charts: all (the whole response), think or answer (needs think segments).",
        DefaultValueFactory = _ => "all",
    }, "all", "think", "answer");
    /// <summary>
    /// A list option takes every following token that is not a known option; a misspelt option (a name starting with
    /// <c>--</c>) would silently become a file name. It is refused as an unknown option instead.
    /// </summary>
    private static void NoOptionNames(Option<string[]> option) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string[]>()?.FirstOrDefault(v => v.StartsWith("--", StringComparison.Ordinal)) is { } name)
            result.AddError($"unknown option '{name}' (after {option.Name})");
    });

    /// <summary>Restricts a string option to <paramref name="choices"/> with a one-line error naming the option.</summary>
    private static Option<string> WithChoices(Option<string> option, params string[] choices)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!choices.Contains(value, StringComparer.Ordinal))
                result.AddError($"{option.Name} must be one of {string.Join(", ", choices)}; got '{value}'.");
        });
        return option;
    }

    public Option<string[]> AnswerChecker { get; } = new("--answer_checker")
    {
        Description = "Answer checker per dataset: dataset=name (repeatable), or name alone for every dataset. " +
                      "Names: math (free-form answers), orz (the Python ORZ checker), multiple_choice, text_game. Default: multiple_choice when samples have choices, " +
                      "text_game for text-game file names, else math.",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<bool> AllComparisons { get; } = new("--all_comparisons")
    {
        Description = "List every testable change between checkpoints on the console, not only the significant ones (comparisons.csv always has all).",
    };

    /// <summary>The options of an evaluation run (also taken by <c>slurm submit</c> and <c>shard plan</c>).</summary>
    public IReadOnlyList<Option> RunOptions => [CheckpointPaths, TokenizerPath, Data, CustomSentence, MaxEvalSamples, OutputDir, GenerateMaxLen,
        NSamples, Temperature, TopP, TopK, Greedy, Debug, Seed, Device, DType, GenerationDType, ScoringDType, BatchSize, Batching, Verbose, AnswerChecker,
        ErrorBars, ConfidenceLevel, ProbeAnswersFrom, HeatmapSamples, FixedItemLines, AllowInvalidUtf8, PromptTemplate, SystemPrompt, ChatTemplateKwargs,
        ThinkSegments, TrendSegment];

    public RootCommand Build()
    {
        var root = new RootCommand(
            "OrzDynamic: evaluate the learning dynamics of LLM checkpoints (generate, check, score, aggregate, chart).\n" +
            "With no arguments it runs the embedded demo: three checkpoints of a tiny model trained by the project.");
        foreach (var o in new[] { CheckpointPaths, Data, CustomSentence, ChatTemplateKwargs }) NoOptionNames(o);
        foreach (var o in RunOptions) root.Options.Add(o);
        root.Options.Add(AllComparisons);
        return root;
    }

    public CliSettings Read(ParseResult r, bool embeddedDefault)
    {
        var max = r.GetValue(MaxEvalSamples);
        bool debug = r.GetValue(Debug);
        var template = PromptTemplateArgument.Read(r.GetValue(PromptTemplate)!);
        var thinkSegments = r.GetValue(ThinkSegments) switch { "on" => true, "off" => false, _ => (bool?)null };
        if (r.GetValue(TrendSegment) != "all" && !(thinkSegments ?? template == EvaluatorConfig.ChatPromptTemplate))
            throw new CliInputException($"--trend_segment {r.GetValue(TrendSegment)} needs think segments (--think_segments on, or --prompt_template chat).");
        return new CliSettings
        {
            CheckpointPaths = r.GetValue(CheckpointPaths) ?? [],
            Run = new EvaluatorConfig
            {
                TokenizerPath = r.GetValue(TokenizerPath),
                EvalPromptData = r.GetValue(Data) ?? [],
                CustomSentenceFiles = r.GetValue(CustomSentence) ?? [],
                MaxEvalSamples = max == -1 ? null : max,
                OutputDir = r.GetValue(OutputDir)!,
                GenerateMaxLen = debug ? Math.Min(Defaults.DebugGenerateMaxLen, r.GetValue(GenerateMaxLen)) : r.GetValue(GenerateMaxLen),
                DebugNumSamples = debug ? Defaults.DebugNumSamples : null,
                NSamples = r.GetValue(NSamples) >= 1 ? r.GetValue(NSamples) : throw new CliInputException($"--n_samples must be 1 or more, got {r.GetValue(NSamples)}."),
                Temperature = r.GetValue(Temperature),
                TopP = r.GetValue(TopP),
                TopK = r.GetValue(TopK),
                DoSample = !r.GetValue(Greedy),
                Seed = r.GetValue(Seed),
                Device = r.GetValue(Device)!,
                DType = r.GetValue(DType),
                GenerationDType = r.GetValue(GenerationDType),
                ScoringDType = r.GetValue(ScoringDType),
                GenerationMode = r.GetValue(Batching) == "static" ? GenerationMode.Static : GenerationMode.Continuous,
                BatchSize = r.GetValue(BatchSize),
                VerboseLearningDynamics = r.GetValue(Verbose),
                AllowInvalidUtf8 = r.GetValue(AllowInvalidUtf8),
                ConfidenceLevel = r.GetValue(ConfidenceLevel),
                AnswerCheckers = AnswerCheckerArguments.Parse(r.GetValue(AnswerChecker) ?? []),
                PromptTemplate = template,
                SystemPrompt = r.GetValue(SystemPrompt),
                ChatTemplateKwargs = PromptTemplateArgument.ParseKwargs(r.GetValue(ChatTemplateKwargs) ?? []),
                ThinkSegments = thinkSegments,
            },
            TrendSegment = r.GetValue(TrendSegment)!,
            ErrorBarsCi = r.GetValue(ErrorBars) == "ci",
            IsEmbeddedDefault = embeddedDefault,
            ProbeAnswersFrom = r.GetValue(ProbeAnswersFrom),
            HeatmapSamples = r.GetValue(HeatmapSamples),
            FixedItemLines = NonNegative(r.GetValue(FixedItemLines), "--fixed_item_lines"),
            AllComparisons = r.GetResult(AllComparisons) is not null && r.GetValue(AllComparisons),
        };
    }

    private static int NonNegative(int value, string option) =>
        value >= 0 ? value : throw new CliInputException($"{option} must be 0 or more, got {value}.");
}
