namespace OrzDynamic.Core.Sharding;

/// <summary>Merge was asked for a plan whose units are not all complete (and partial merging was not requested).</summary>
internal sealed class IncompletePlanException : ShardPlanException
{
    /// <summary>Creates the exception for the given unfinished units.</summary>
    public IncompletePlanException(string planPath, IReadOnlyList<UnitStatus> missing)
        : base($"{planPath}: {missing.Count} unit(s) not complete (rerun their shards, or merge with --partial): " +
               string.Join("; ", missing.Select(m => m.Describe())))
    {
        Missing = missing;
    }

    /// <summary>The units that are not complete.</summary>
    public IReadOnlyList<UnitStatus> Missing { get; }
}
