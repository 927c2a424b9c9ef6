namespace OrzDynamic.Core.Tokenization.ChatTemplates;

/// <summary>Binary and unary operators on evaluated operands, with the reference implementation's type rules.</summary>
internal static class TemplateOperators
{
    public static TValue Binary(string op, TValue left, TValue right)
    {
        switch (op)
        {
            case "==": return TBool.Of(ValueCompare.LooseEquals(left, right));
            case "!=": return TBool.Of(!ValueCompare.LooseEquals(left, right));
        }

        if (ValueCompare.IsNumber(left) && ValueCompare.IsNumber(right) && op is not "~" and not "**")
        {
            if (Arithmetic(op, left, right) is { } result) return result;
        }
        else if (left is TUndefined || right is TUndefined)
        {
            if (right is TUndefined && op is "in" or "not in") return TBool.Of(op == "not in");
            if (op == "~" && left is not TNull && right is not TNull)
                return new TString((left is TUndefined ? "" : ValueText.Concat(left)) + (right is TUndefined ? "" : ValueText.Concat(right)));
            throw new TemplateRuntimeError($"cannot apply '{op}' to {left.TypeName} and {right.TypeName} (an undefined value)");
        }
        else if (left is TNull || right is TNull)
        {
            throw new TemplateRuntimeError($"cannot apply '{op}' to {left.TypeName} and {right.TypeName} (a none value)");
        }
        else if (op == "~")
        {
            return new TString(ValueText.Concat(left) + ValueText.Concat(right));
        }
        else if (op == "**" && left is TInt or TFloat or TBool && right is TInt or TFloat or TBool)
        {
            return Power(left, right);
        }
        else if (left is TArray la && right is TArray ra)
        {
            if (op == "+") return new TArray([.. la.Items, .. ra.Items]);
        }
        else if (right is TArray list && op is "in" or "not in")
        {
            var member = list.Items.Any(x => ValueCompare.StrictEquals(x, left));
            return TBool.Of(op == "in" ? member : !member);
        }

        if (op == "+" && (left is TString || right is TString)) return new TString(ValueText.Concat(left) + ValueText.Concat(right));
        if (left is TString needle && right is TString haystack && op is "in" or "not in")
        {
            var contains = haystack.Value.Contains(needle.Value, StringComparison.Ordinal);
            return TBool.Of(op == "in" ? contains : !contains);
        }
        if (left is TString key && right is TObject dict && op is "in" or "not in")
        {
            var has = dict.Map.ContainsKey(key.Value);
            return TBool.Of(op == "in" ? has : !has);
        }
        throw new TemplateRuntimeError($"operator '{op}' is not supported between {left.TypeName} and {right.TypeName}");
    }

    private static TValue? Arithmetic(string op, TValue left, TValue right)
    {
        var isFloat = left is TFloat || right is TFloat;
        if (!isFloat && op is "+" or "-" or "*" or "//" or "%")
        {
            var a = ((TInt)left).Value;
            var b = ((TInt)right).Value;
            return op switch
            {
                "+" => Int(a + b),
                "-" => Int(a - b),
                "*" => Int(Math.BigMul(a, b) is var p && p >= -JsNumber.MaxSafeInteger && p <= JsNumber.MaxSafeInteger ? (long)p : throw Overflow()),
                "//" => b == 0 ? throw new TemplateRuntimeError("integer division by zero") : Int((long)Math.Floor((double)a / b)),
                _ => b == 0 ? throw new TemplateRuntimeError("modulo by zero") : Int(a % b),
            };
        }
        var x = ValueCompare.NumberOf(left);
        var y = ValueCompare.NumberOf(right);
        switch (op)
        {
            case "+": return Float(x + y);
            case "-": return Float(x - y);
            case "*": return Float(x * y);
            case "/": return y == 0 ? throw new TemplateRuntimeError("division by zero") : Float(x / y);
            case "//": return y == 0 ? throw new TemplateRuntimeError("division by zero") : Float(Math.Floor(x / y));
            case "%": return y == 0 ? throw new TemplateRuntimeError("modulo by zero") : Float(x % y);
            case "<": return TBool.Of(x < y);
            case ">": return TBool.Of(x > y);
            case "<=": return TBool.Of(x <= y);
            case ">=": return TBool.Of(x >= y);
            default: return null;
        }
    }

    private static TemplateRuntimeError Overflow() => new("integer result is beyond ±2^53");

    private static TInt Int(long value) =>
        value is >= -JsNumber.MaxSafeInteger and <= JsNumber.MaxSafeInteger ? new TInt(value) : throw Overflow();

    private static TFloat Float(double value) =>
        double.IsFinite(value) ? new TFloat(value) : throw new TemplateRuntimeError("the result is not a finite number");

    private static TValue Power(TValue left, TValue right)
    {
        var a = ValueCompare.NumberOf(left);
        var b = ValueCompare.NumberOf(right);
        if (a == 0 && b < 0) throw new TemplateRuntimeError("0 cannot be raised to a negative power");
        var result = Math.Pow(a, b);
        if (!double.IsFinite(result)) throw new TemplateRuntimeError("the result of '**' is not a finite real number");
        if (left is TFloat || right is TFloat || b < 0) return new TFloat(result);
        return result is >= -JsNumber.MaxSafeInteger and <= JsNumber.MaxSafeInteger ? new TInt((long)result) : throw Overflow();
    }

    public static TValue Unary(string op, TValue operand)
    {
        if (op == "not") return TBool.Of(!operand.Truthy);
        var sign = op == "-" ? -1 : 1;
        return operand switch
        {
            TFloat f => new TFloat(sign * f.Value),
            TInt i => new TInt(sign * i.Value),
            TBool b => new TInt(sign * (b.Value ? 1 : 0)),
            _ => throw new TemplateRuntimeError($"unary '{op}' is not supported for {operand.TypeName}"),
        };
    }
}
