namespace OrzDynamic.Core.Sharding;

/// <summary>How far one unit has got.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Unit">The unit.</param>
/// <param name="Done">Samples journaled (custom units: all or nothing).</param>
public sealed record UnitStatus(ShardPlan Plan, WorkUnit Unit, int Done)
{
    /// <summary>Whether the unit has all its samples.</summary>
    public bool IsComplete => Done >= Unit.Samples;

    /// <summary>e.g. <c>unit 7 (shard 2: iter0 / arith_a, batches 3–5, 20 samples): 4 of 20 done</c>.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Unit.Describe(Plan)}: {Done} of {Unit.Samples} done");
}
