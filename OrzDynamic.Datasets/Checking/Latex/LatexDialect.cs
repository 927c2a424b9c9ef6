namespace OrzDynamic.Datasets.Checking.Latex;

/// <summary>Which constructs <see cref="LatexParser"/> accepts.</summary>
internal enum LatexDialect
{
    /// <summary>
    /// The answers the ORZ checker compares: scalars, tuples and one relation; <c>e</c> and <c>i</c> are variables; sets,
    /// matrices and chains are rejected.
    /// </summary>
    Orz,

    /// <summary>
    /// Free-form answers: additionally <c>\{…\}</c> sets, <c>\emptyset</c>, <c>\cup</c>, <c>\in</c>, chained relations,
    /// <c>\approx</c>, <c>!=</c>, tuples on either side of <c>=</c>, matrices (<c>pmatrix</c>, <c>bmatrix</c>,
    /// <c>vmatrix</c>, <c>matrix</c>), and <c>e</c>/<c>i</c> as Euler's number and the imaginary unit.
    /// </summary>
    FreeForm,
}
