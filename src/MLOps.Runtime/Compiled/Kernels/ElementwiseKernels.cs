using System.Runtime.CompilerServices;

namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>An element-wise operation on one float; a struct so that each kernel is specialized by the JIT.</summary>
internal interface IUnaryOperation
{
    static abstract float Apply(float x);
}

/// <summary>An element-wise operation on two floats.</summary>
internal interface IBinaryOperation
{
    static abstract float Apply(float a, float b);
}

/// <summary>y[i] = op(x[i]).</summary>
internal sealed class UnaryKernel<TOperation>(int input, int output, int width) : Kernel
    where TOperation : struct, IUnaryOperation
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            numbers[output + i] = TOperation.Apply(numbers[input + i]);
        }
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        if (width != 1)
        {
            base.RunRows(numbers, strings, rows, numberStride, stringStride);
            return;
        }
        for (var at = 0; at < rows * numberStride; at += numberStride)
        {
            numbers[at + output] = TOperation.Apply(numbers[at + input]);
        }
    }
}

/// <summary>
/// y[i] = op(a[i], b[i]) with numpy broadcasting reduced to what a row can need: an operand of width 1 is
/// repeated across the row (a scalar constant, or a per-row value such as a sum).
/// </summary>
internal sealed class BinaryKernel<TOperation>(int a, int aWidth, int b, int bWidth, int output, int width) : Kernel
    where TOperation : struct, IBinaryOperation
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var aStep = aWidth == 1 ? 0 : 1;
        var bStep = bWidth == 1 ? 0 : 1;
        for (var i = 0; i < width; i++)
        {
            numbers[output + i] = TOperation.Apply(numbers[a + (i * aStep)], numbers[b + (i * bStep)]);
        }
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        if (width != 1)
        {
            base.RunRows(numbers, strings, rows, numberStride, stringStride);
            return;
        }
        for (var at = 0; at < rows * numberStride; at += numberStride)
        {
            numbers[at + output] = TOperation.Apply(numbers[at + a], numbers[at + b]);
        }
    }
}

internal static class Operations
{
    public struct Add : IBinaryOperation { public static float Apply(float a, float b) => a + b; }
    public struct Sub : IBinaryOperation { public static float Apply(float a, float b) => a - b; }
    public struct Mul : IBinaryOperation { public static float Apply(float a, float b) => a * b; }
    public struct Div : IBinaryOperation { public static float Apply(float a, float b) => a / b; }
    public struct Pow : IBinaryOperation { public static float Apply(float a, float b) => MathF.Pow(a, b); }

    // ONNX Max/Min propagate NaN (std::max-based kernels in ONNX Runtime return NaN when either side is).
    public struct Max : IBinaryOperation { public static float Apply(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : (a >= b ? a : b); }
    public struct Min : IBinaryOperation { public static float Apply(float a, float b) => float.IsNaN(a) || float.IsNaN(b) ? float.NaN : (a <= b ? a : b); }

    public struct Equal : IBinaryOperation { public static float Apply(float a, float b) => a == b ? 1f : 0f; }
    public struct Greater : IBinaryOperation { public static float Apply(float a, float b) => a > b ? 1f : 0f; }
    public struct Less : IBinaryOperation { public static float Apply(float a, float b) => a < b ? 1f : 0f; }
    public struct GreaterOrEqual : IBinaryOperation { public static float Apply(float a, float b) => a >= b ? 1f : 0f; }
    public struct LessOrEqual : IBinaryOperation { public static float Apply(float a, float b) => a <= b ? 1f : 0f; }
    public struct And : IBinaryOperation { public static float Apply(float a, float b) => a != 0 && b != 0 ? 1f : 0f; }
    public struct Or : IBinaryOperation { public static float Apply(float a, float b) => a != 0 || b != 0 ? 1f : 0f; }
    public struct Xor : IBinaryOperation { public static float Apply(float a, float b) => (a != 0) != (b != 0) ? 1f : 0f; }

    public struct Identity : IUnaryOperation { public static float Apply(float x) => x; }
    public struct Sigmoid : IUnaryOperation { public static float Apply(float x) => Transforms.MlasLogistic(x); }
    public struct Exp : IUnaryOperation { public static float Apply(float x) => MathF.Exp(x); }
    public struct Log : IUnaryOperation { public static float Apply(float x) => MathF.Log(x); }
    public struct Abs : IUnaryOperation { public static float Apply(float x) => MathF.Abs(x); }
    public struct Neg : IUnaryOperation { public static float Apply(float x) => -x; }
    public struct Sqrt : IUnaryOperation { public static float Apply(float x) => MathF.Sqrt(x); }
    public struct Reciprocal : IUnaryOperation { public static float Apply(float x) => 1f / x; }
    public struct Relu : IUnaryOperation { public static float Apply(float x) => x > 0 ? x : (float.IsNaN(x) ? x : 0f); }
    public struct Tanh : IUnaryOperation { public static float Apply(float x) => MathF.Tanh(x); }
    public struct Floor : IUnaryOperation { public static float Apply(float x) => MathF.Floor(x); }
    public struct Ceil : IUnaryOperation { public static float Apply(float x) => MathF.Ceiling(x); }
    public struct Not : IUnaryOperation { public static float Apply(float x) => x == 0 ? 1f : 0f; }
    public struct IsNaN : IUnaryOperation { public static float Apply(float x) => float.IsNaN(x) ? 1f : 0f; }

    /// <summary>Cast to a bool: anything but zero is true (NaN too, as in C++).</summary>
    public struct ToBool : IUnaryOperation { public static float Apply(float x) => x != 0 ? 1f : 0f; }

    /// <summary>Cast to an integer type: toward zero, as C++'s static_cast.</summary>
    public struct ToInteger : IUnaryOperation { public static float Apply(float x) => MathF.Truncate(x); }
}

/// <summary>Clip with constant bounds (inputs or, before opset 11, attributes); NaN passes through.</summary>
internal sealed class ClipKernel(int input, int output, int width, float min, float max) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            var x = numbers[input + i];
            numbers[output + i] = x < min ? min : (x > max ? max : x);
        }
    }
}

/// <summary>Where(condition, x, y) with per-row operands of the output's width or 1.</summary>
internal sealed class WhereKernel(int condition, int conditionWidth, int x, int xWidth, int y, int yWidth, int output, int width) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        for (var i = 0; i < width; i++)
        {
            var c = numbers[condition + (conditionWidth == 1 ? 0 : i)];
            numbers[output + i] = c != 0 ? numbers[x + (xWidth == 1 ? 0 : i)] : numbers[y + (yWidth == 1 ? 0 : i)];
        }
    }
}

/// <summary>Copies values unchanged (a Reshape whose output cannot share its input's slots, e.g. a graph output).</summary>
internal sealed class CopyKernel(int input, int output, int width, bool strings) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> text)
    {
        if (strings)
        {
            text.Slice(input, width).CopyTo(text.Slice(output, width));
        }
        else
        {
            numbers.Slice(input, width).CopyTo(numbers.Slice(output, width));
        }
    }
}

/// <summary>The post transforms and probability functions exactly as ONNX Runtime's ml_common.h computes them.</summary>
internal static class Transforms
{
    private const float Sqrt2 = 1.41421356f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Logistic(float x)
    {
        var v = 1f / (1f + MathF.Exp(-MathF.Abs(x)));
        return x < 0 ? 1f - v : v;
    }

    public static float Probit(float x) => Sqrt2 * ErfInv((2 * x) - 1);

    /// <summary>
    /// The ONNX <c>Sigmoid</c> operator as ONNX Runtime computes it (MLAS's MlasComputeLogistic, not ml_common.h's
    /// logistic): a rational polynomial over the input clamped to ±18, multiply-adds fused as in MLAS's FMA3 (x64)
    /// and NEON (arm64) kernels. Near saturation it rounds differently from 1/(1+e^-x): two classes both near 1
    /// then tie or not as ONNX Runtime has them, which decides an argmax (a FastTree one-versus-all model's label).
    /// </summary>
    public static float MlasLogistic(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }
        var v = Math.Min(18f, Math.Max(-18f, x));
        var squared = v * v;
        var p = MathF.FusedMultiplyAdd(squared, 4.37031012579801e-11f, 1.15627324459942e-07f);
        p = MathF.FusedMultiplyAdd(p, squared, 6.08574864600143e-05f);
        p = MathF.FusedMultiplyAdd(p, squared, 8.51377133304701e-03f);
        p = MathF.FusedMultiplyAdd(p, squared, 2.48287947061529e-01f);
        p *= v;
        var q = MathF.FusedMultiplyAdd(squared, 6.10247389755681e-13f, 5.76102136993427e-09f);
        q = MathF.FusedMultiplyAdd(q, squared, 6.29106785017040e-06f);
        q = MathF.FusedMultiplyAdd(q, squared, 1.70198817374094e-03f);
        q = MathF.FusedMultiplyAdd(q, squared, 1.16817656904453e-01f);
        q = MathF.FusedMultiplyAdd(q, squared, 9.93151921023180e-01f);
        return Math.Min(1f, Math.Max(0f, (p / q) + 0.5f));
    }

    private static float ErfInv(float x)
    {
        var sign = x < 0 ? -1.0f : 1.0f;
        x = (1 - x) * (1 + x);
        var log = MathF.Log(x);
        var v = (2 / (3.14159f * 0.147f)) + (0.5f * log);
        var v2 = 1 / 0.147f * log;
        var v3 = -v + MathF.Sqrt((v * v) - v2);
        return sign * MathF.Sqrt(v3);
    }

    public static void Softmax(Span<float> values)
    {
        var max = -float.MaxValue;
        foreach (var value in values)
        {
            if (value > max)
            {
                max = value;
            }
        }
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>Softmax that leaves (near-)zero scores at zero.</summary>
    public static void SoftmaxZero(Span<float> values)
    {
        var max = -float.MaxValue;
        foreach (var value in values)
        {
            if (value > max)
            {
                max = value;
            }
        }
        var expNegMax = MathF.Exp(-max);
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > 0.0000001f || values[i] < -0.0000001f)
            {
                values[i] = MathF.Exp(values[i] - max);
                sum += values[i];
            }
            else
            {
                values[i] *= expNegMax;
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= sum;
        }
    }

    /// <summary>An ONNX-ML post_transform applied to the scores of one row.</summary>
    public static void Apply(PostTransform transform, Span<float> scores)
    {
        switch (transform)
        {
            case PostTransform.Logistic:
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] = Logistic(scores[i]);
                }
                break;
            case PostTransform.Softmax:
                Softmax(scores);
                break;
            case PostTransform.SoftmaxZero:
                SoftmaxZero(scores);
                break;
            case PostTransform.Probit:
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] = Probit(scores[i]);
                }
                break;
        }
    }

    public static PostTransform Parse(string? name) => name switch
    {
        null or "" or "NONE" => PostTransform.None,
        "LOGISTIC" => PostTransform.Logistic,
        "SOFTMAX" => PostTransform.Softmax,
        "SOFTMAX_ZERO" => PostTransform.SoftmaxZero,
        "PROBIT" => PostTransform.Probit,
        _ => throw new UnsupportedGraphException($"post_transform '{name}' is not an ONNX-ML transform"),
    };
}

internal enum PostTransform
{
    None,
    Logistic,
    Softmax,
    SoftmaxZero,
    Probit,
}
