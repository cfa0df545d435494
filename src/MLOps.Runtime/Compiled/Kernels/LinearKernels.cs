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
}

/// <summary>LinearClassifier: label by the largest score (or the sign of a single one) and the scores, as linearclassifier.cc.</summary>
internal sealed class LinearClassifierKernel(int input, int width, int labelOutput, bool stringLabels, int scoreOutput, float[] coefficients, float[] intercepts, int classCount, PostTransform transform, bool addSecondClass) : Kernel
{
    public required float[] ClassLabels { get; init; }

    public required string[] LabelNames { get; init; }

    public override void Run(Span<float> numbers, Span<string?> strings)
    {
        var z = numbers.Slice(scoreOutput, addSecondClass ? 2 : classCount);
        LinearScores.Compute(numbers.Slice(input, width), coefficients, intercepts, z[..classCount]);
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
