namespace MLOps.Runtime.Compiled.Kernels;

/// <summary>Scores of a linear model: x·coefficientsᵀ + intercepts, one per target.</summary>
internal static class LinearScores
{
    public static void Compute(ReadOnlySpan<float> x, float[] coefficients, float[] intercepts, Span<float> scores)
    {
        var width = x.Length;
        for (var t = 0; t < scores.Length; t++)
        {
            var row = coefficients.AsSpan(t * width, width);
            var sum = 0f;
            for (var j = 0; j < width; j++)
            {
                // Fused, in feature order: what ONNX Runtime's SGEMM kernels compute on this machine class.
                sum = MathF.FusedMultiplyAdd(x[j], row[j], sum);
            }
            scores[t] = sum + (intercepts.Length == 0 ? 0f : intercepts[intercepts.Length == 1 ? 0 : t]);
        }
    }

    /// <summary>
    /// <see cref="Compute"/> for <paramref name="rows"/> rows (row r's features at r × <paramref name="stride"/> +
    /// <paramref name="input"/>, its scores at r × stride + <paramref name="output"/>), four rows at a time: each
    /// coefficient is loaded once for four rows, and four rows' sums are independent chains of fused multiply-adds
    /// where one row's waits on each addition. Each row's sum runs in feature order, so its bits are <see cref="Compute"/>'s.
    /// </summary>
    public static void ComputeRows(Span<float> numbers, int stride, int rows, int input, int width, float[] coefficients, float[] intercepts, int output, int targets)
    {
        var fourRows = rows - (rows % 4);
        for (var t = 0; t < targets; t++)
        {
            var row = coefficients.AsSpan(t * width, width);
            var intercept = intercepts.Length == 0 ? 0f : intercepts[intercepts.Length == 1 ? 0 : t];
            for (var r = 0; r < fourRows; r += 4)
            {
                var x0 = numbers.Slice((r * stride) + input, width);
                var x1 = numbers.Slice(((r + 1) * stride) + input, width);
                var x2 = numbers.Slice(((r + 2) * stride) + input, width);
                var x3 = numbers.Slice(((r + 3) * stride) + input, width);
                var (sum0, sum1, sum2, sum3) = (0f, 0f, 0f, 0f);
                for (var j = 0; j < width; j++)
                {
                    var c = row[j];
                    sum0 = MathF.FusedMultiplyAdd(x0[j], c, sum0);
                    sum1 = MathF.FusedMultiplyAdd(x1[j], c, sum1);
                    sum2 = MathF.FusedMultiplyAdd(x2[j], c, sum2);
                    sum3 = MathF.FusedMultiplyAdd(x3[j], c, sum3);
                }
                numbers[(r * stride) + output + t] = sum0 + intercept;
                numbers[((r + 1) * stride) + output + t] = sum1 + intercept;
                numbers[((r + 2) * stride) + output + t] = sum2 + intercept;
                numbers[((r + 3) * stride) + output + t] = sum3 + intercept;
            }
        }
        // The last rows, fewer than four: one at a time.
        for (var r = fourRows; r < rows; r++)
        {
            Compute(numbers.Slice((r * stride) + input, width), coefficients, intercepts, numbers.Slice((r * stride) + output, targets));
        }
    }

    /// <summary>ONNX Runtime's batched_update_scores_inplace for one row.</summary>
    public static void PostTransform(Span<float> scores, int targets, PostTransform transform, int addSecondClass)
    {
        if (targets > 1)
        {
            Transforms.Apply(transform, scores[..targets]);
            return;
        }
        var s = scores[0];
        if (transform == Kernels.PostTransform.Probit)
        {
            scores[0] = Transforms.Probit(s);
        }
        else if (addSecondClass >= 0)
        {
            if (addSecondClass <= 1 && transform == Kernels.PostTransform.Logistic)
            {
                s = Transforms.Logistic(s);
            }
            (scores[0], scores[1]) = addSecondClass <= 1
                ? (1f - s, s)
                : transform == Kernels.PostTransform.Logistic ? (Transforms.Logistic(-s), Transforms.Logistic(s)) : (-s, s);
        }
    }
}

/// <summary>LinearRegressor.</summary>
internal sealed class LinearRegressorKernel(int input, int width, int output, float[] coefficients, float[] intercepts, int targets, PostTransform transform) : Kernel
{
    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var y = numbers.Slice(output, targets);
        LinearScores.Compute(numbers.Slice(input, width), coefficients, intercepts, y);
        LinearScores.PostTransform(y, targets, transform, -1);
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        LinearScores.ComputeRows(numbers, numberStride, rows, input, width, coefficients, intercepts, output, targets);
        for (var row = 0; row < rows; row++)
        {
            LinearScores.PostTransform(numbers.Slice((row * numberStride) + output, targets), targets, transform, -1);
        }
    }
}

/// <summary>LinearClassifier: label by the largest score (or the sign of a single one) and the scores, as linearclassifier.cc.</summary>
internal sealed class LinearClassifierKernel(int input, int width, int labelOutput, bool stringLabels, int scoreOutput, float[] coefficients, float[] intercepts, int classCount, PostTransform transform, bool addSecondClass) : Kernel
{
    public required float[] ClassLabels { get; init; }

    public required string[] LabelNames { get; init; }

    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        LinearScores.Compute(numbers.Slice(input, width), coefficients, intercepts, numbers.Slice(scoreOutput, classCount));
        Finish(numbers, strings);
    }

    public override void RunRows(Span<float> numbers, Span<string?> strings, int rows, int numberStride, int stringStride)
    {
        LinearScores.ComputeRows(numbers, numberStride, rows, input, width, coefficients, intercepts, scoreOutput, classCount);
        for (var row = 0; row < rows; row++)
        {
            Finish(numbers.Slice(row * numberStride, numberStride), strings.Slice(row * stringStride, stringStride));
        }
    }

    /// <summary>The label from one row's scores, then the scores' post transform.</summary>
    private void Finish(Span<float> numbers, Span<string?> strings)
    {
        var z = numbers.Slice(scoreOutput, addSecondClass ? 2 : classCount);
        int index;
        if (classCount == 1)
        {
            var positive = z[0] > 0;
            var twoLabels = (stringLabels ? LabelNames.Length : ClassLabels.Length) == 2;
            if (stringLabels)
            {
                strings[labelOutput] = twoLabels ? LabelNames[positive ? 1 : 0] : (positive ? "1" : "0");
            }
            else
            {
                numbers[labelOutput] = twoLabels ? ClassLabels[positive ? 1 : 0] : (positive ? 1 : 0);
            }
        }
        else
        {
            index = 0;
            for (var j = 1; j < classCount; j++)
            {
                if (z[j] > z[index])
                {
                    index = j;
                }
            }
            if (stringLabels)
            {
                strings[labelOutput] = LabelNames[index];
            }
            else
            {
                numbers[labelOutput] = ClassLabels[index];
            }
        }
        if (transform != Kernels.PostTransform.None || addSecondClass)
        {
            LinearScores.PostTransform(z, classCount, transform, addSecondClass ? 1 : -1);
        }
    }
}
