namespace OrzDynamic.Core.Results;

/// <summary>
/// How a per-answer value spreads with several answers per prompt: <paramref name="Within"/> is the mean over prompts
/// of each prompt's sample variance across its answers (the model's inconsistency on one prompt), and
/// <paramref name="Between"/> the variance of the per-prompt means (how prompts differ). NaN where undefined (no prompt
/// with two values; fewer than two prompts).
/// </summary>
/// <param name="Within">Mean within-prompt variance (n − 1 denominator per prompt).</param>
/// <param name="Between">Variance of the per-prompt means (n − 1 denominator).</param>
public readonly record struct VarianceComponents(double Within, double Between);
