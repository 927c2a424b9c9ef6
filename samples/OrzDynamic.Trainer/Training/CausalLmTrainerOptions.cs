namespace OrzDynamic.Trainer.Training;

/// <summary>Settings of <see cref="CausalLmTrainer"/> (AdamW with linear warm-up and cosine decay).</summary>
public sealed record CausalLmTrainerOptions
{
    /// <summary>Number of optimiser steps.</summary>
    public int Steps { get; init; } = 600;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;

    /// <summary>Final learning rate as a fraction of the peak (cosine decay ends there).</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>Steps of linear warm-up from 0 to the peak.</summary>
    public int WarmupSteps { get; init; } = 30;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>AdamW β₁.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂.</summary>
    public double Beta2 { get; init; } = 0.98;

    /// <summary>Global gradient-norm clip (≤ 0 = off).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed of the data order (the weights are seeded separately, see <see cref="WeightInitializer"/>).</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Id used to left-pad shorter rows (masked out of attention and loss).</summary>
    public int PadTokenId { get; init; }

    /// <summary>
    /// Run the token prefix shared by all rows of a batch (a fixed prompt template) once per step into a KV cache that
    /// the rows continue from. The forward pass is unchanged; the gradient through the shared prefix's keys and values
    /// is dropped (it is context without loss), which makes a step several times cheaper for long fixed templates.
    /// </summary>
    public bool SharePromptPrefix { get; init; } = true;

    /// <summary>Steps after which the checkpoint callback runs (step 0 = before any update).</summary>
    public IReadOnlyList<int> CheckpointSteps { get; init; } = [];

    /// <summary>Learning rate at (1-based) step <paramref name="step"/>.</summary>
    public double LearningRateAt(int step)
    {
        if (step <= WarmupSteps) return LearningRate * step / Math.Max(1, WarmupSteps);
        var progress = (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps);
        var cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Min(1.0, progress)));
        return LearningRate * (MinLearningRateRatio + (1 - MinLearningRateRatio) * cosine);
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range (every problem listed).</exception>
    public void Validate()
    {
        var errors = new List<string>();
        if (Steps <= 0) errors.Add($"Steps must be positive, got {Steps}");
        if (BatchSize <= 0) errors.Add($"BatchSize must be positive, got {BatchSize}");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) errors.Add($"LearningRate must be positive, got {LearningRate}");
        if (MinLearningRateRatio is < 0 or > 1) errors.Add($"MinLearningRateRatio must be in [0, 1], got {MinLearningRateRatio}");
        if (WarmupSteps < 0) errors.Add($"WarmupSteps must be ≥ 0, got {WarmupSteps}");
        if (WeightDecay < 0) errors.Add($"WeightDecay must be ≥ 0, got {WeightDecay}");
        if (Beta1 is < 0 or >= 1 || Beta2 is < 0 or >= 1) errors.Add($"Betas must be in [0, 1), got ({Beta1}, {Beta2})");
        if (PadTokenId < 0) errors.Add($"PadTokenId must be ≥ 0, got {PadTokenId}");
        foreach (var s in CheckpointSteps.Where(s => s < 0 || s > Steps)) errors.Add($"CheckpointSteps entry {s} is outside 0..{Steps}");
        if (errors.Count > 0) throw new ArgumentException("Invalid trainer options: " + string.Join("; ", errors));
    }
}
