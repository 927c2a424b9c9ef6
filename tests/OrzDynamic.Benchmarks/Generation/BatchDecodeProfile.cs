using System.Globalization;
using OrzDynamic.Benchmarks.Model;
using OrzDynamic.Core.Generation;
using OrzDynamic.Core.Kernels;
using OrzDynamic.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Benchmarks.Generation;

/// <summary>
/// Where the time of one batched, sampled decoding step goes (Qwen2.5-0.5B shape, generated bfloat16 weights, a batch
/// of rows over a filled KV cache): the whole step, its products (q/k/v, o, MLP, lm_head), attention, and the choice
/// of the next tokens — the per-row multinomial draw both in libtorch and in C# (<see cref="MultinomialDraw"/>), checked
/// to give the same ids. The bfloat16 GEMM rate of libtorch is measured in the same run as the limit of the products.
/// Usage: <c>batch-decode [--batch 32] [--context 400] [--repeats 5]</c>.
/// </summary>
internal static class BatchDecodeProfile
{
    public static int Run(string[] args)
    {
        int batch = 32, context = 400, repeats = 5;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i++])
            {
                case "--batch": batch = value; break;
                case "--context": context = value; break;
                case "--repeats": repeats = value; break;
                default: throw new ArgumentException($"unknown option {args[i - 1]} (--batch N --context N --repeats N)");
            }
        }
        var c = ModelBenchmarkConfigs.Qwen25_05B;
        using var grad = no_grad();
        using var scope = NewDisposeScope();
        using var model = new CausalLM(c, ScalarType.BFloat16, CPU);
        EndToEndBenchmark.FillRandom(model);
        using var cache = model.CreateCache(batch, context + 8);
        var g = new Generator(3);
        for (var layer = 0; layer < c.NumHiddenLayers; layer++)
        {
            var (keys, values) = cache.Storage(layer);
            keys.narrow(2, 0, context).copy_(randn([batch, c.NumKeyValueHeads, context, c.HeadDim], generator: g));
            values.narrow(2, 0, context).copy_(randn([batch, c.NumKeyValueHeads, context, c.HeadDim], generator: g));
        }
        cache.Advance(context);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Batched decoding step, Qwen2.5-0.5B shape (generated bfloat16 weights), batch {batch}, {context} cached tokens (one row left-padded), sampling at temperature 1; torch threads {get_num_threads()}; {MachineLoad.Averages(", ", "load average ")}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."));
        Console.WriteLine();
        Console.WriteLine($"| part | ms per step (best of {repeats}) | GFLOP | GFLOP/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        void Row(string name, double ms, double gflop = 0) =>
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ms:F1} | {(gflop > 0 ? gflop.ToString("F1", CultureInfo.InvariantCulture) : "")} | {(gflop > 0 ? (gflop / ms * 1e3).ToString("F0", CultureInfo.InvariantCulture) : "")} |"));
        double Best(Action run)
        {
            run(); // warm-up, not timed
            return ModelBenchmark.Time(run, repeats) * 1e3;
        }

        int layers = c.NumHiddenLayers, h = c.HiddenSize;
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        double Gflop(long inFeatures, long outFeatures, int count = 1) => 2.0 * batch * inFeatures * outFeatures * count / 1e9;
        var ids = randint(0, c.VocabSize, [batch, 1], dtype: ScalarType.Int64, generator: g);
        var mask = ones([batch, context + 1], ScalarType.Int64);
        mask[0, 0] = 0;
        Row("whole forward pass (24 layers, lm_head)", Best(() =>
        {
            using var s = NewDisposeScope();
            model.Forward(ids, mask, cache: cache, logits: LogitsMode.LastPosition);
            cache.Advance(-1);
        }));
        var x = randn([batch, 1, h]).to(ScalarType.BFloat16);
        var layer0 = model.Model.Layers[0];
        var attention = layer0.SelfAttention;
        var padding = mask.to(ScalarType.Bool);
        using var attentionMask = new AttentionMask(batch, 1, context, padding);
        using var rope = new RotaryEmbedding(c, CPU);
        var (cos, sin) = rope.Compute(full([batch, 1], (long)context, ScalarType.Int64), ScalarType.BFloat16);
        Row("q/k/v projections × 24", Best(() => { using var s = NewDisposeScope(); for (var l = 0; l < layers; l++) LinearProjection.ForwardMany(x, attention.QProj, attention.KProj, attention.VProj); }), Gflop(h, q + 2 * kv, layers));
        Row("o projection × 24", Best(() => { using var s = NewDisposeScope(); for (var l = 0; l < layers; l++) attention.OProj.Forward(x); }), Gflop(q, h, layers));
        Row("MLP × 24", Best(() => { using var s = NewDisposeScope(); for (var l = 0; l < layers; l++) layer0.Mlp.Forward(x); }), Gflop(h, 3L * c.IntermediateSize, layers));
        Row("attention block × 24 (projections included)", Best(() => { using var s = NewDisposeScope(); for (var l = 0; l < layers; l++) attention.Forward(x, cos, sin, attentionMask, cache, 0); }));
        var hidden = randn([batch, h]).to(ScalarType.BFloat16);
        Row("lm_head", Best(() => { using var s = NewDisposeScope(); model.ComputeLogits(hidden); }), Gflop(h, c.VocabSize));
        var gemm = randn([4864, 896]).to(ScalarType.BFloat16);
        var rows512 = randn([512, 896]).to(ScalarType.BFloat16);
        Row("limit: libtorch bfloat16 GEMM [512, 896] × [896, 4864]", Best(() => nn.functional.linear(rows512, gemm).Dispose()), 2.0 * 512 * 896 * 4864 / 1e9);

        var logits = model.ComputeLogits(hidden);
        var sampler = new TokenSampler(new GenerationOptions { Temperature = 1.0 });
        Generator[] Generators() => Enumerable.Range(0, batch).Select(r => new Generator((ulong)(r + 1))).ToArray();
        long[] Choose(bool inCSharp, Generator[] generators)
        {
            DecodeKernels.Enabled = inCSharp;
            try
            {
                using var chosen = sampler.Next(logits, generators);
                return chosen.data<long>().ToArray();
            }
            finally
            {
                DecodeKernels.Enabled = true;
            }
        }
        // Each timed variant draws on its own generators (a draw costs the same wherever they stand).
        var (forLibtorch, forCSharp, forDraw) = (Generators(), Generators(), Generators());
        Row("next tokens, libtorch multinomial per row", Best(() => Choose(false, forLibtorch)));
        Row("next tokens, C# draw (MultinomialDraw)", Best(() => Choose(true, forCSharp)));
        var probabilities = logits.softmax(-1);
        Row("of which the C# draw alone", Best(() => MultinomialDraw.Draw(probabilities, forDraw)));
        Console.WriteLine();
        Console.WriteLine($"Same ids from both draws on fresh generators: {(Choose(false, Generators()).SequenceEqual(Choose(true, Generators())) ? "yes" : "NO")}.");
        return 0;
    }
}
