namespace OrzDynamic.Core.Sharding;

/// <summary>
/// A sharded run cannot go on: the plan is unreadable or was made with other settings, the shard index is out of
/// range, the directory holds journals of another plan, or the data changed since planning. The message names the file
/// and the field or unit concerned.
/// </summary>
public class ShardPlanException : OrzDynamicException
{
    /// <summary>Creates the exception.</summary>
    public ShardPlanException(string message, Exception? inner = null) : base(message, inner) { }
}
