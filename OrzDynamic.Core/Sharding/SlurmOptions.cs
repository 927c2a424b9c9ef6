namespace OrzDynamic.Core.Sharding;

/// <summary>Resources and behaviour of <see cref="SlurmSubmitter"/>.</summary>
public sealed record SlurmOptions
{
    /// <summary>Command that starts the OrzDynamic CLI on a node, e.g. <c>["/usr/bin/dotnet", "/opt/orz/orz-dynamic.dll"]</c>.</summary>
    public IReadOnlyList<string> Launcher { get; init; } = ["orz-dynamic"];
    /// <summary><c>--partition</c>.</summary>
    public string? Partition { get; init; }
    /// <summary><c>--gres</c> of each shard task, e.g. <c>gpu:1</c> (not given to the merge job).</summary>
    public string? Gres { get; init; }
    /// <summary><c>--time</c>.</summary>
    public string? Time { get; init; }
    /// <summary><c>--cpus-per-task</c>.</summary>
    public int? CpusPerTask { get; init; }
    /// <summary><c>--mem</c>.</summary>
    public string? Mem { get; init; }
    /// <summary>Further <c>#SBATCH</c> arguments for the shard tasks, e.g. <c>--account=lab</c>.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
    /// <summary>Further arguments of the <c>merge</c> command in the merge job.</summary>
    public IReadOnlyList<string> MergeArgs { get; init; } = [];
    /// <summary>Write the scripts but submit nothing.</summary>
    public bool DryRun { get; init; }
}
