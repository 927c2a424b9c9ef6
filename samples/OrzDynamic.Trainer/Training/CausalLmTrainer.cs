using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OrzDynamic.Core.Models;
using OrzDynamic.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace OrzDynamic.Trainer.Training;

/// <summary>
/// Supervised fine-tuning of a <see cref="CausalLM"/> with <c>torch.optim.AdamW</c>: each step takes the next
/// <see cref="CausalLmTrainerOptions.BatchSize"/> examples of a seeded shuffle, left-pads them (as generation does),
/// runs the model's own <see cref="CausalLM.Forward"/> with autograd and minimises the mean cross-entropy of the
/// response tokens (prompt and padding labels are −100). Deterministic for a fixed seed, thread count and machine.
/// </summary>
public sealed class CausalLmTrainer
{
    private readonly CausalLM _model;
    private readonly CausalLmTrainerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a trainer for <paramref name="model"/> (already initialised or loaded).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public CausalLmTrainer(CausalLM model, CausalLmTrainerOptions options, ILogger? logger = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Trains for <see cref="CausalLmTrainerOptions.Steps"/> steps. <paramref name="onCheckpoint"/> is called with the
    /// step count at every <see cref="CausalLmTrainerOptions.CheckpointSteps"/> entry (0 = before the first update).
    /// Returns the per-step progress (loss curve).
    /// </summary>
    /// <exception cref="ArgumentException">No examples, an example without response tokens, or an id outside the vocabulary.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (between steps).</exception>
    public IReadOnlyList<TrainingProgress> Train(IReadOnlyList<TrainingExample> examples, Action<int>? onCheckpoint = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ValidateExamples(examples);
        var checkpoints = _options.CheckpointSteps.ToHashSet();
        var history = new List<TrainingProgress>(_options.Steps);
        var parameters = _model.parameters().ToList();
        var order = new ExampleOrder(examples.Count, _options.Seed);
        var sw = Stopwatch.StartNew();
        if (checkpoints.Contains(0)) onCheckpoint?.Invoke(0);

        foreach (var p in parameters) p.requires_grad = true;
        _model.AutogradEnabled = true;
        try
        {
            using var optimizer = optim.AdamW(parameters, _options.LearningRate, _options.Beta1, _options.Beta2, 1e-8, _options.WeightDecay);
            for (var step = 1; step <= _options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var lr = _options.LearningRateAt(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                var batch = order.Next(_options.BatchSize).Select(i => examples[i]).ToArray();
                double lossValue;
                using (var scope = NewDisposeScope())
                {
                    optimizer.zero_grad();
                    var loss = Loss(batch);
                    loss.backward();
                    if (_options.MaxGradNorm > 0) nn.utils.clip_grad_norm_(parameters, _options.MaxGradNorm);
                    optimizer.step();
                    lossValue = loss.item<float>();
                }
                if (!double.IsFinite(lossValue)) throw new InvalidOperationException($"Training diverged: loss {lossValue} at step {step}.");
                var info = new TrainingProgress(step, _options.Steps, lossValue, lr, sw.Elapsed);
                history.Add(info);
                progress?.Report(info);
                if (step % 50 == 0 || step == _options.Steps)
                    _logger.LogInformation("step {Step}/{Total} loss {Loss:0.0000} lr {Lr:0.00e0} ({Seconds:0.0} s)", step, _options.Steps, lossValue, lr, sw.Elapsed.TotalSeconds);
                if (checkpoints.Contains(step))
                {
                    _model.AutogradEnabled = false;
                    onCheckpoint?.Invoke(step);
                    _model.AutogradEnabled = true;
                }
            }
        }
        finally
        {
            _model.AutogradEnabled = false;
            foreach (var p in parameters)
            {
                p.requires_grad = false;
                p.grad?.Dispose();
            }
        }
        return history;
    }

    /// <summary>
    /// Mean cross-entropy of the response tokens of <paramref name="batch"/> (a scalar that carries the autograd graph
    /// when <see cref="CausalLM.AutogradEnabled"/> is set). With <see cref="CausalLmTrainerOptions.SharePromptPrefix"/>
    /// the token prefix common to all rows (e.g. a fixed prompt template) is run once, without gradient, into a KV cache
    /// that the rows continue from; the logits are the same as those of the full forward pass.
    /// </summary>
    public Tensor Loss(IReadOnlyList<TrainingExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var shared = _options.SharePromptPrefix ? SharedPrefixLength(batch) : 0;
        return shared > 0 ? PrefixSharedLoss(batch, shared) : FullLoss(batch);
    }

    private Tensor FullLoss(IReadOnlyList<TrainingExample> batch)
    {
        using var scope = NewDisposeScope();
        var (ids, mask, labels) = Collate(batch, _options.PadTokenId);
        var logits = _model.Forward(ids, mask).Logits!;
        return ShiftedCrossEntropy(logits, labels).MoveToOuterDisposeScope();
    }

    private Tensor PrefixSharedLoss(IReadOnlyList<TrainingExample> batch, int prefixLength)
    {
        using var scope = NewDisposeScope();
        int rows = batch.Count, suffixLength = batch.Max(e => e.Length) - prefixLength;
        using var prefixCache = _model.CreateCache(1, prefixLength + suffixLength);
        var autograd = _model.AutogradEnabled;
        _model.AutogradEnabled = false;
        try
        {
            var prefix = tensor(batch[0].PromptIds.Take(prefixLength).Select(i => (long)i).ToArray(), [1, prefixLength]);
            _model.Forward(prefix, cache: prefixCache, logits: LogitsMode.None);
        }
        finally
        {
            _model.AutogradEnabled = autograd;
        }
        using var cache = prefixCache.RepeatRows(rows);

        // Suffixes are right-padded so that every row continues the prefix at position prefixLength.
        var ids = new long[rows * suffixLength];
        var mask = new long[rows * (prefixLength + suffixLength)];
        var labels = new long[rows * suffixLength];
        Array.Fill(ids, _options.PadTokenId);
        Array.Fill(labels, LearningDynamics.IgnoreIndex);
        for (var r = 0; r < rows; r++)
        {
            var e = batch[r];
            for (var k = 0; k < e.Length; k++) mask[r * (prefixLength + suffixLength) + k] = 1;
            for (var k = prefixLength; k < e.Length; k++)
            {
                var isResponse = k >= e.PromptIds.Count;
                var id = isResponse ? e.ResponseIds[k - e.PromptIds.Count] : e.PromptIds[k];
                ids[r * suffixLength + k - prefixLength] = id;
                if (isResponse) labels[r * suffixLength + k - prefixLength] = id;
            }
        }
        var logits = _model.Forward(tensor(ids, [rows, suffixLength]), tensor(mask, [rows, prefixLength + suffixLength]), cache: cache).Logits!;
        return ShiftedCrossEntropy(logits, tensor(labels, [rows, suffixLength])).MoveToOuterDisposeScope();
    }

    private Tensor ShiftedCrossEntropy(Tensor logits, Tensor labels)
    {
        long len = logits.shape[1];
        var predicted = logits.narrow(1, 0, len - 1).reshape(-1, logits.shape[2]);
        var targets = labels.narrow(1, 1, len - 1).reshape(-1).to(_model.Device);
        return nn.functional.cross_entropy(predicted, targets, ignore_index: LearningDynamics.IgnoreIndex);
    }

    /// <summary>Length of the token prefix shared by every row, capped so that each row keeps at least one prompt token after it.</summary>
    internal static int SharedPrefixLength(IReadOnlyList<TrainingExample> batch)
    {
        var limit = batch.Min(e => e.PromptIds.Count) - 1;
        var first = batch[0].PromptIds;
        var n = 0;
        while (n < limit && batch.All(e => e.PromptIds[n] == first[n])) n++;
        return n;
    }

    /// <summary>Left-pads <paramref name="batch"/> into ids [B, L], attention mask [B, L] and labels [B, L] (−100 except response tokens).</summary>
    public static (Tensor Ids, Tensor Mask, Tensor Labels) Collate(IReadOnlyList<TrainingExample> batch, int padTokenId)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) throw new ArgumentException("The batch is empty.", nameof(batch));
        var len = batch.Max(e => e.Length);
        var rows = batch.Count;
        var ids = new long[rows * len];
        var mask = new long[rows * len];
        var labels = new long[rows * len];
        Array.Fill(ids, padTokenId);
        Array.Fill(labels, LearningDynamics.IgnoreIndex);
        for (var r = 0; r < rows; r++)
        {
            var e = batch[r];
            var o = r * len + (len - e.Length);
            for (var k = 0; k < e.PromptIds.Count; k++, o++)
            {
                ids[o] = e.PromptIds[k];
                mask[o] = 1;
            }
            for (var k = 0; k < e.ResponseIds.Count; k++, o++)
            {
                ids[o] = e.ResponseIds[k];
                mask[o] = 1;
                labels[o] = e.ResponseIds[k];
            }
        }
        return (tensor(ids, [rows, len]), tensor(mask, [rows, len]), tensor(labels, [rows, len]));
    }

    private void ValidateExamples(IReadOnlyList<TrainingExample> examples)
    {
        if (examples.Count == 0) throw new ArgumentException("There are no training examples.", nameof(examples));
        var vocab = _model.Config.VocabSize;
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i] ?? throw new ArgumentException($"Training example {i} is null.", nameof(examples));
            if (e.ResponseIds.Count == 0) throw new ArgumentException($"Training example {i} has no response tokens.", nameof(examples));
            foreach (var id in e.PromptIds.Concat(e.ResponseIds))
                if (id < 0 || id >= vocab) throw new ArgumentException($"Training example {i} has token id {id} outside the vocabulary 0..{vocab - 1}.", nameof(examples));
        }
    }
}
