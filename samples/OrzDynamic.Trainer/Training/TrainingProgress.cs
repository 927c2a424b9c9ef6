namespace OrzDynamic.Trainer.Training;

/// <summary>Progress of <see cref="CausalLmTrainer"/> after an optimiser step.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Mean cross-entropy over the response tokens of this step's batch.</param>
/// <param name="LearningRate">Learning rate used for this step.</param>
/// <param name="Elapsed">Time since training started.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, double Loss, double LearningRate, TimeSpan Elapsed);
