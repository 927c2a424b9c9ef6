using OrzDynamic.Metrics.SafeTensors;
using static TorchSharp.torch;

namespace OrzDynamic.Metrics.Tests.Reference;

/// <summary>Reads every tensor of a reference fixture with the library's <see cref="SafeTensorsFile"/>.</summary>
internal static class TestSafeTensors
{
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        return file.Tensors.Keys.ToDictionary(name => name, name => file.Load(name));
    }
}
