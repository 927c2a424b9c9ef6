using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>
/// A deliberately plain float64 re-implementation of the HF Qwen2/Qwen3/Llama/Mistral forward pass (explicit repeat_kv,
/// explicit softmax attention, rotate_half, Qwen3's per-head q/k norms when the weights have them), reading the same
/// weights, used as an independent oracle for the model.
/// </summary>
internal static class NaiveReference
{
    public static Tensor Logits(CausalLM model, long[] ids)
    {
        using var scope = NewDisposeScope();
        var c = model.Config;
        var w = model.NamedWeights().ToDictionary(p => p.Name, p => p.Parameter.to(ScalarType.Float64));
        Tensor W(string n) => w[n];
        Tensor? B(string n) => w.TryGetValue(n, out var t) ? t : null;
        Tensor Norm(Tensor x, Tensor g) => g * x / (x.square().mean([-1L], keepdim: true) + c.RmsNormEps).sqrt();
        Tensor Lin(Tensor x, string n) => B(n + ".bias") is { } b ? x.matmul(W(n + ".weight").t()) + b : x.matmul(W(n + ".weight").t());

        var t = ids.Length;
        var inv = tensor(RotaryEmbedding.ComputeInverseFrequencies(c).Select(v => (double)v).ToArray());
        var pos = arange(0, t, ScalarType.Float64);
        var freqs = pos.unsqueeze(1) * inv.unsqueeze(0);
        var emb = cat([freqs, freqs], 1);
        var cos = emb.cos();
        var sin = emb.sin();
        Tensor Rope(Tensor x)
        {
            var half = c.HeadDim / 2;
            var rot = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
            return x * cos + rot * sin;
        }

        var h = W("model.embed_tokens.weight").index_select(0, tensor(ids));
        var causal = ones(t, t, ScalarType.Bool).tril();
        for (var l = 0; l < c.NumHiddenLayers; l++)
        {
            var p = $"model.layers.{l}.";
            var x = Norm(h, W(p + "input_layernorm.weight"));
            var q = Lin(x, p + "self_attn.q_proj").view(t, c.NumAttentionHeads, c.HeadDim).transpose(0, 1);
            var k = Lin(x, p + "self_attn.k_proj").view(t, c.NumKeyValueHeads, c.HeadDim).transpose(0, 1);
            var v = Lin(x, p + "self_attn.v_proj").view(t, c.NumKeyValueHeads, c.HeadDim).transpose(0, 1);
            if (B(p + "self_attn.q_norm.weight") is { } qn) q = Norm(q, qn);
            if (B(p + "self_attn.k_norm.weight") is { } kn) k = Norm(k, kn);
            q = Rope(q);
            k = Rope(k);
            k = k.repeat_interleave(c.GroupSize, 0);
            v = v.repeat_interleave(c.GroupSize, 0);
            var scores = q.matmul(k.transpose(1, 2)) / Math.Sqrt(c.HeadDim);
            scores = scores.masked_fill(causal.logical_not(), double.NegativeInfinity);
            var o = scores.softmax(-1).matmul(v).transpose(0, 1).reshape(t, -1);
            h = h + Lin(o, p + "self_attn.o_proj");
            x = Norm(h, W(p + "post_attention_layernorm.weight"));
            var gate = Lin(x, p + "mlp.gate_proj");
            h = h + Lin(gate * gate.sigmoid() * Lin(x, p + "mlp.up_proj"), p + "mlp.down_proj");
        }
        h = Norm(h, W("model.norm.weight"));
        var head = c.TieWordEmbeddings ? W("model.embed_tokens.weight") : W("lm_head.weight");
        return h.matmul(head.t()).MoveToOuterDisposeScope();
    }
}
