using NUnit.Framework;
using OrzDynamic.Core.Loading;
using OrzDynamic.Core.Models;
using OrzDynamic.Tests;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Fixtures;

/// <summary>
/// Base of the generation tests that share one tiny seeded Qwen2-shaped checkpoint, loaded in float32 for the fixture:
/// eos 95 is never the argmax of this seeded model in the first steps, so greedy runs go to their length limit unless a
/// test says otherwise.
/// </summary>
public abstract class TinyModelTests
{
    private TempDirectory _tmp = null!;

    /// <summary>The loaded model (float32).</summary>
    private protected CausalLM Model { get; private set; } = null!;

    /// <summary>The fixture's temporary folder (the checkpoint is in its "ckpt" folder).</summary>
    private protected TempDirectory Tmp => _tmp;

    [OneTimeSetUp]
    public void LoadTinyModel()
    {
        _tmp = new TempDirectory();
        var dir = new TinyCheckpointBuilder { ModelType = "qwen2", EosTokenIds = [95] }.Write(_tmp.Sub("ckpt"));
        Model = CheckpointLoader.Load(dir, new ModelLoadOptions { DType = ScalarType.Float32 });
    }

    [OneTimeTearDown]
    public void DisposeTinyModel()
    {
        Model.Dispose();
        _tmp.Dispose();
    }
}
