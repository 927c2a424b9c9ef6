namespace OrzDynamic.Core.Sharding;

/// <summary><c>sbatch</c> (or another Slurm client) is not on the PATH.</summary>
internal sealed class SlurmNotFoundException : ShardPlanException
{
    /// <summary>Creates the exception naming the missing program.</summary>
    public SlurmNotFoundException(string program)
        : base($"Slurm was not found ('{program}' is not on the PATH); `shard run --plan DIR/plan.json --index K` works without it.")
    {
    }
}
