namespace OrzDynamic.Trainer.Training;

/// <summary>
/// Seeded epoch-wise shuffling of example indices: every epoch is a fresh Fisher–Yates permutation drawn from one
/// <see cref="Random"/> with a fixed seed (whose sequence .NET keeps stable across versions for seeded instances).
/// </summary>
internal sealed class ExampleOrder
{
    private readonly Random _random;
    private readonly int[] _permutation;
    private int _position;

    public ExampleOrder(int count, int seed)
    {
        _random = new Random(seed);
        _permutation = Enumerable.Range(0, count).ToArray();
        _position = count;
    }

    /// <summary>The next <paramref name="n"/> indices, starting a new epoch when the current one is used up.</summary>
    public int[] Next(int n)
    {
        var result = new int[n];
        for (var i = 0; i < n; i++)
        {
            if (_position == _permutation.Length)
            {
                for (var k = _permutation.Length - 1; k > 0; k--)
                {
                    var j = _random.Next(k + 1);
                    (_permutation[k], _permutation[j]) = (_permutation[j], _permutation[k]);
                }
                _position = 0;
            }
            result[i] = _permutation[_position++];
        }
        return result;
    }
}
