namespace OrzDynamic.Core.Evaluation;

/// <summary>
/// The generation limits actually used for one model, resolved before any generation starts:
/// <list type="bullet">
/// <item>prompts must leave at least one position: longer ones are skipped and counted as too long
/// (<see cref="PromptMaxLen"/> = min(PromptMaxLen, max_position_embeddings − 1));</item>
/// <item><see cref="MaxNewTokens"/> = min(GenerateMaxLen, max_position_embeddings − 1), with a warning when capped;
/// each answer also stops when prompt + answer reach max_position_embeddings (finish_reason <c>context_limit</c>,
/// counted per dataset), so the model never runs at positions it was not trained for;</item>
/// <item>the worst-case KV cache of a batch must fit into the available memory, otherwise the run is refused.</item>
/// </list>
/// </summary>
/// <param name="MaxNewTokens">Generated tokens per answer at most.</param>
/// <param name="PromptMaxLen">Prompt tokens at most (longer prompts are skipped and counted).</param>
/// <param name="MaxPositions">The model's position limit (max_position_embeddings).</param>
/// <param name="WorstCaseKvBytes">KV cache bytes of one full batch at the longest prompt and answer.</param>
internal sealed record GenerationLimits(int MaxNewTokens, int PromptMaxLen, int MaxPositions, double WorstCaseKvBytes)
{
    /// <summary>Resolves the limits of <paramref name="config"/> for <paramref name="model"/>.</summary>
    /// <param name="config">The evaluation settings.</param>
    /// <param name="model">The model's configuration.</param>
    /// <param name="dtype">The dtype of the KV cache (the model's).</param>
    /// <param name="logger">Receives the warnings about capped values.</param>
    /// <param name="availableBytes">Memory available for the cache; null = measured (<see cref="AvailableMemory"/>).</param>
    /// <exception cref="EvaluatorConfigException">The worst-case KV cache does not fit into the available memory.</exception>
    public static GenerationLimits Resolve(EvaluatorConfig config, ModelConfig model, torch.ScalarType dtype, ILogger logger, long? availableBytes = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(logger);
        int maxPositions = Math.Max(2, model.MaxPositionEmbeddings);
        int promptMax = PromptLimit(config, model);
        if (promptMax < config.PromptMaxLen)
            logger.LogInformation(DecisionLog.Event, "The model has {Positions} positions: prompts over {Max} tokens are skipped and counted as too long (PromptMaxLen {Configured})",
                maxPositions, promptMax, config.PromptMaxLen);
        int maxNew = Math.Min(config.GenerateMaxLen, maxPositions - 1);
        if (maxNew < config.GenerateMaxLen)
            logger.LogWarning("GenerateMaxLen {Configured} exceeds the model's {Positions} positions: capped at {Max}; every answer also stops " +
                "when prompt + answer reach {Positions} positions (finish_reason context_limit, counted per dataset)",
                config.GenerateMaxLen, maxPositions, maxNew, maxPositions);
        double elementBytes = dtype switch
        {
            torch.ScalarType.Float64 => 8,
            torch.ScalarType.BFloat16 or torch.ScalarType.Float16 => 2,
            _ => 4,
        };
        double kvBytes = 2.0 * model.NumHiddenLayers * model.NumKeyValueHeads * model.HeadDim * elementBytes
            * config.BatchSize * ((double)promptMax + maxNew);
        long available = availableBytes ?? AvailableMemory();
        if (kvBytes > available)
            throw new EvaluatorConfigException([string.Format(CultureInfo.InvariantCulture,
                "GenerateMaxLen {0} with BatchSize {1} and prompts of up to {2} tokens needs a KV cache of up to {3:0.0} GiB, but only {4:0.0} GiB of memory are available; lower --generate_max_len or --batch_size",
                maxNew, config.BatchSize, promptMax, kvBytes / (1L << 30), available / (double)(1L << 30))]);
        return new GenerationLimits(maxNew, promptMax, maxPositions, kvBytes);
    }

    /// <summary>
    /// The prompt length limit of <paramref name="config"/> for <paramref name="model"/>: min(PromptMaxLen,
    /// max_position_embeddings − 1). Needs only the model's configuration (sharded plans use it without loading weights).
    /// </summary>
    public static int PromptLimit(EvaluatorConfig config, ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        return Math.Min(config.PromptMaxLen, Math.Max(2, model.MaxPositionEmbeddings) - 1);
    }

    /// <summary>
    /// Memory available to this process: the smaller of Linux's MemAvailable (/proc/meminfo) and the runtime's limit
    /// (which honours container limits) minus what is already in use.
    /// </summary>
    public static long AvailableMemory()
    {
        var gc = GC.GetGCMemoryInfo();
        long fromRuntime = gc.TotalAvailableMemoryBytes > 0 ? gc.TotalAvailableMemoryBytes - Environment.WorkingSet : long.MaxValue;
        long fromOs = long.MaxValue;
        try
        {
            if (File.Exists("/proc/meminfo"))
                foreach (var line in File.ReadLines("/proc/meminfo"))
                {
                    if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb)) fromOs = kb * 1024;
                    break;
                }
        }
        catch (IOException)
        {
            // Not Linux or not readable: rely on the runtime's figure.
        }
        return Math.Max(0, Math.Min(fromRuntime, fromOs));
    }
}
