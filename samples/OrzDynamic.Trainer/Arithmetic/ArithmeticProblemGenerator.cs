namespace OrzDynamic.Trainer.Arithmetic;

/// <summary>
/// Deterministic generator of toy arithmetic word problems: two-digit operands, addition or subtraction with a
/// non-negative result, phrased with one of a few sentence templates, names and objects. The same seed always yields
/// the same sequence (seeded <see cref="Random"/>).
/// </summary>
public sealed class ArithmeticProblemGenerator
{
    private static readonly (string Name, string Pronoun)[] People =
    [
        ("Tom", "he"), ("Anna", "she"), ("Ben", "he"), ("Lily", "she"), ("Sam", "he"), ("Mia", "she"), ("Max", "he"), ("Emma", "she"),
    ];

    private static readonly string[] Objects = ["apples", "marbles", "books", "coins", "stickers", "pencils", "cookies", "cards"];

    private static readonly string[] AddTemplates =
    [
        "{name} has {a} {obj} and buys {b} more. How many {obj} does {pron} have now?",
        "{name} had {a} {obj} and found {b} more. How many {obj} does {pron} have in total?",
        "There are {a} {obj} in a box and {name} puts in {b} more. How many {obj} are in the box now?",
    ];

    private static readonly string[] SubtractTemplates =
    [
        "{name} has {a} {obj} and gives away {b}. How many {obj} does {pron} have left?",
        "{name} had {a} {obj} and lost {b} of them. How many {obj} are left?",
        "There are {a} {obj} in a box and {name} takes out {b}. How many {obj} are in the box now?",
    ];

    private readonly Random _random;

    /// <summary>Creates a generator with operands in [<paramref name="minOperand"/>, <paramref name="maxOperand"/>].</summary>
    /// <param name="seed">Seed of the sequence.</param>
    /// <param name="minOperand">Smallest operand.</param>
    /// <param name="maxOperand">Largest operand.</param>
    /// <param name="secondOperandRange">Range of the second operand; null = the same as the first.</param>
    /// <param name="withoutCarry">Only problems whose digit-wise sums stay below 10 (addition) or whose digits of the
    /// first operand are each at least those of the second (subtraction): no carrying or borrowing.</param>
    public ArithmeticProblemGenerator(int seed, int minOperand = 10, int maxOperand = 99, bool withoutCarry = false, (int Min, int Max)? secondOperandRange = null)
    {
        if (minOperand < 0 || maxOperand < minOperand) throw new ArgumentOutOfRangeException(nameof(maxOperand), "Need 0 ≤ minOperand ≤ maxOperand.");
        _random = new Random(seed);
        MinOperand = minOperand;
        MaxOperand = maxOperand;
        WithoutCarry = withoutCarry;
        SecondOperandRange = secondOperandRange ?? (minOperand, maxOperand);
        if (SecondOperandRange.Min < 0 || SecondOperandRange.Max < SecondOperandRange.Min)
            throw new ArgumentOutOfRangeException(nameof(secondOperandRange), "Need 0 ≤ min ≤ max.");
    }

    /// <summary>Range of the second operand.</summary>
    public (int Min, int Max) SecondOperandRange { get; }

    /// <summary>Whether carrying and borrowing are excluded.</summary>
    public bool WithoutCarry { get; }

    /// <summary>Smallest operand.</summary>
    public int MinOperand { get; }

    /// <summary>Largest operand.</summary>
    public int MaxOperand { get; }

    /// <summary>Draws the next problem (addition or subtraction with equal probability).</summary>
    public ArithmeticProblem Next()
    {
        var op = _random.Next(2) == 0 ? ArithmeticOperation.Add : ArithmeticOperation.Subtract;
        int a, b;
        do
        {
            a = _random.Next(MinOperand, MaxOperand + 1);
            b = _random.Next(SecondOperandRange.Min, SecondOperandRange.Max + 1);
            if (op == ArithmeticOperation.Subtract && b > a) (a, b) = (b, a);
        }
        while (WithoutCarry && !IsCarryFree(a, b, op));
        var templates = op == ArithmeticOperation.Add ? AddTemplates : SubtractTemplates;
        var template = templates[_random.Next(templates.Length)];
        var (name, pronoun) = People[_random.Next(People.Length)];
        var obj = Objects[_random.Next(Objects.Length)];
        var question = template.Replace("{name}", name, StringComparison.Ordinal).Replace("{pron}", pronoun, StringComparison.Ordinal)
            .Replace("{obj}", obj, StringComparison.Ordinal)
            .Replace("{a}", a.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{b}", b.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return new ArithmeticProblem(question, a, b, op);
    }

    /// <summary>True when <paramref name="a"/> op <paramref name="b"/> needs no carrying or borrowing in any digit.</summary>
    public static bool IsCarryFree(int a, int b, ArithmeticOperation op)
    {
        for (; a > 0 || b > 0; a /= 10, b /= 10)
        {
            int da = a % 10, db = b % 10;
            if (op == ArithmeticOperation.Add ? da + db > 9 : da < db) return false;
        }
        return true;
    }
}
