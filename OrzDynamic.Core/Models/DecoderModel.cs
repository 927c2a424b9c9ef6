using TorchSharp.Modules;

namespace OrzDynamic.Core.Models;

/// <summary>The transformer trunk (Hugging Face's <c>model.*</c>): token embedding, decoder layers, final norm.</summary>
internal sealed class DecoderModel : nn.Module
{
    /// <summary>Creates the trunk with uninitialised weights.</summary>
    public DecoderModel(ModelConfig config, ScalarType dtype, Device device) : base("model")
    {
        EmbedTokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, dtype, device);
        Layers = new ModuleList<DecoderLayer>();
        for (var i = 0; i < config.NumHiddenLayers; i++) Layers.Add(new DecoderLayer(config, i, dtype, device));
        Norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEps, dtype, device);
        register_module("embed_tokens", EmbedTokens);
        register_module("layers", Layers);
        register_module("norm", Norm);
    }

    /// <summary>Token embedding.</summary>
    public TokenEmbedding EmbedTokens { get; }

    /// <summary>Decoder layers.</summary>
    public ModuleList<DecoderLayer> Layers { get; }

    /// <summary>Final norm.</summary>
    public RmsNorm Norm { get; }
}
