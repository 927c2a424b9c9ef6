namespace OrzDynamic.Trainer.Arithmetic;

/// <summary>The operation of a toy word problem.</summary>
public enum ArithmeticOperation
{
    /// <summary>a + b.</summary>
    Add,

    /// <summary>a − b (a ≥ b).</summary>
    Subtract,
}
