using System.Diagnostics;
using System.Globalization;
using System.Text;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Model;

/// <summary>Times the pieces of one decoder layer and lm_head at prefill size, to see where prefill time goes.</summary>
internal static class LayerProfile
{
    public static void Run(CausalLM model, int tokens, StringBuilder report)
    {
        using var scope = NewDisposeScope();
        using var grad = no_grad();
        var c = model.Config;
        var layer = model.Model.Layers[0];
        var x = randn([1, tokens, c.HiddenSize]).to(model.DType);
        var pos = arange(0, tokens, ScalarType.Int64).unsqueeze(0);
        var rope = new RotaryEmbedding(c, CPU);
        var (cos, sin) = rope.Compute(pos, model.DType);
        var q = randn([1, c.NumKeyValueHeads, (long)c.GroupSize * tokens, c.HeadDim]).to(model.DType);
        var k = randn([1, c.NumKeyValueHeads, tokens, c.HeadDim]).to(model.DType);
        var v = randn([1, c.NumKeyValueHeads, tokens, c.HeadDim]).to(model.DType);
        var causal = ones(tokens, tokens, ScalarType.Bool).tril().view(1, 1, tokens, tokens);
        var mask = Attention.GroupMask(causal, c.GroupSize);
        var parts = new (string Name, Action Run)[]
        {
            ("rmsnorm", () => layer.InputLayerNorm.Forward(x).Dispose()),
            ("q/k/v proj", () => { layer.SelfAttention.QProj.Forward(x).Dispose(); layer.SelfAttention.KProj.Forward(x).Dispose(); layer.SelfAttention.VProj.Forward(x).Dispose(); }),
            ("rope q+k", () => { RotaryEmbedding.Apply(q.view(1, c.NumAttentionHeads, tokens, c.HeadDim), cos, sin).Dispose(); RotaryEmbedding.Apply(k, cos, sin).Dispose(); }),
            ("sdpa (bool mask, grouped)", () => nn.functional.scaled_dot_product_attention(q, k, v, mask).Dispose()),
            ("sdpa fused causal (k/v expanded)", () =>
            {
                using var s = NewDisposeScope();
                var kx = k.unsqueeze(2).expand(1, c.NumKeyValueHeads, c.GroupSize, tokens, c.HeadDim).reshape(1, c.NumAttentionHeads, tokens, c.HeadDim);
                var vx = v.unsqueeze(2).expand(1, c.NumKeyValueHeads, c.GroupSize, tokens, c.HeadDim).reshape(1, c.NumAttentionHeads, tokens, c.HeadDim);
                nn.functional.scaled_dot_product_attention(q.view(1, c.NumAttentionHeads, tokens, c.HeadDim), kx, vx, null, 0, true);
            }),
            ("o proj", () => layer.SelfAttention.OProj.Forward(x).Dispose()),
            ("mlp", () => layer.Mlp.Forward(x).Dispose()),
            ("whole layer (dense mask)", () => layer.Forward(x, cos, sin, mask, null).Dispose()),
            ("whole layer (auto: fused causal)", () =>
            {
                using var m = new AttentionMask(1, tokens, 0, null);
                layer.Forward(x, cos, sin, m, null).Dispose();
            }),
            ("whole layer (query-chunked)", () =>
            {
                using var m = new AttentionMask(1, tokens, 0, null, AttentionPath.Chunked);
                layer.Forward(x, cos, sin, m, null).Dispose();
            }),
            ("lm_head (all positions)", () => model.ComputeLogits(x.view(tokens, c.HiddenSize)).Dispose()),
        };
        report.Append(CultureInfo.InvariantCulture, $"- {model.DType} one-layer profile at T={tokens} (ms, best of 3):");
        foreach (var (name, run) in parts)
        {
            run();
            var best = double.MaxValue;
            for (var i = 0; i < 3; i++)
            {
                var sw = Stopwatch.StartNew();
                run();
                best = Math.Min(best, sw.Elapsed.TotalMilliseconds);
            }
            report.Append(CultureInfo.InvariantCulture, $" {name} {best:F1};");
        }
        report.AppendLine();
        rope.Dispose();
    }
}
