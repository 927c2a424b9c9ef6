namespace OrzDynamic.Core.Sharding;

/// <summary>How to merge a sharded run.</summary>
public sealed record MergeOptions
{
    /// <summary>Aggregate what exists even when units are missing; summaries are then marked <c>"partial": true</c>.</summary>
    public bool Partial { get; init; }
}
