namespace OrzDynamic.Core.Models;

/// <summary>Which positions a forward pass projects through lm_head.</summary>
public enum LogitsMode
{
    /// <summary>No logits (hidden states only).</summary>
    None,

    /// <summary>Only the last position of every row ([B, V]); what generation needs.</summary>
    LastPosition,

    /// <summary>Every position ([B, T, V]).</summary>
    AllPositions,
}
