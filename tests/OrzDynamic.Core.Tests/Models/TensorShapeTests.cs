using NUnit.Framework;
using OrzDynamic.Core.Models;
using static TorchSharp.torch;

namespace OrzDynamic.Core.Tests.Models;

/// <summary>The decode path's shape reader against TorchSharp's own <c>Tensor.shape</c>.</summary>
[TestFixture]
public sealed class TensorShapeTests
{
    private static IEnumerable<long[]> Shapes() => [[], [0], [7], [1, 1, 896], [2, 3, 0, 5], [4, 2, 33, 64], [1, 2, 3, 4, 5, 6]];

    [TestCaseSource(nameof(Shapes))]
    public void EqualsTorchSharpShape(long[] shape)
    {
        using var t = zeros(shape);
        Assert.That(TensorShape.Of(t), Is.EqualTo(t.shape));
    }

    [Test]
    public void ReadsAViewsOwnSizes()
    {
        using var t = zeros(4, 6, 8);
        using var view = t.narrow(1, 2, 3).transpose(0, 2);
        Assert.That(TensorShape.Of(view), Is.EqualTo(new long[] { 8, 3, 4 }));
    }
}
