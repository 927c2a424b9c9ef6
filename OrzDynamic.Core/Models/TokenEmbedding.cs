using TorchSharp.Modules;

namespace OrzDynamic.Core.Models;

/// <summary>Token embedding table (<c>weight</c> [vocab, hidden]).</summary>
internal sealed class TokenEmbedding : nn.Module
{
    /// <summary>Creates the table with uninitialised weights.</summary>
    public TokenEmbedding(long vocabSize, long hiddenSize, ScalarType dtype, Device device) : base("embed_tokens")
    {
        Weight = ParameterFactory.Empty([vocabSize, hiddenSize], dtype, device);
        register_parameter("weight", Weight);
    }

    /// <summary>The table [vocab, hidden].</summary>
    public Parameter Weight { get; }

    /// <summary>Looks up ids [..] → [.., hidden].</summary>
    public Tensor Forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var shape = ids.shape.Append(Weight.shape[1]).ToArray();
        return Weight.index_select(0, ids.reshape(-1)).view(shape).MoveToOuterDisposeScope();
    }
}
