using OrzDynamic.Datasets.Checking.Latex;

namespace OrzDynamic.Datasets.Checking.FreeForm;

/// <summary>Matrices after their arithmetic is carried out.</summary>
internal sealed partial class AnswerEquivalence
{
    private bool MatrixEqual(MathExpression x, MathExpression y, Context c)
    {
        var fx = MatrixFolding.Fold(x);
        var fy = MatrixFolding.Fold(y);
        if (fx is null || fy is null) return false;
        if (fx is MatrixExpression mx && fy is MatrixExpression my)
        {
            if (mx.Rows.Count != my.Rows.Count || mx.Rows[0].Count != my.Rows[0].Count) return false;
            for (int i = 0; i < mx.Rows.Count; i++)
                for (int j = 0; j < mx.Rows[i].Count; j++)
                    if (!ScalarEqual(mx.Rows[i][j], my.Rows[i][j], c)) return false;
            return true;
        }
        if (fx is MatrixExpression || fy is MatrixExpression) return false;
        return Equal(fx, fy, c);
    }
}
