using System.Collections;
using System.Reflection;
using Microsoft.ML.Trainers.FastTree;

namespace MLOps.Build.Trainer.Training;

/// <summary>
/// The slots of the feature vector a trained predictor reads. A tree ensemble reads only the slots its splits test,
/// so a column none of whose slots is tested cannot change a prediction however its values are shuffled; permutation
/// importance gives it a drop of exactly 0 without scoring it (on a 3,000-column table most columns, and each costs
/// its shuffles × the sample's rows × the trees). Other predictors read every slot: a linear model's zero weight
/// still turns a missing value into a missing score.
/// </summary>
public static class SlotsRead
{
    /// <summary>Per slot of a <paramref name="width"/>-slot vector, whether <paramref name="model"/> can read it; null: every slot.</summary>
    public static bool[]? Of(object model, int width)
    {
        var read = new bool[width];
        return Mark(model, read) ? read : null;
    }

    private static bool Mark(object model, bool[] read)
    {
        switch (model)
        {
            case TreeEnsembleModelParametersBasedOnRegressionTree boosted:
                return MarkSplits(boosted.TrainedTreeEnsemble.Trees, read);
            case TreeEnsembleModelParametersBasedOnQuantileRegressionTree forest:
                return MarkSplits(forest.TrainedTreeEnsemble.Trees, read);
        }
        // A calibrated model reads what the model it calibrates reads; one-versus-all what any class's model reads.
        // Their parts are found by name: a calibrated model's is public but typed only in generic subclasses, and
        // one-versus-all's is internal in ML.NET 6 (should it go, every column is scored, as for any other predictor;
        // FeaturizedSampleTests says so).
        if (Part(model, "SubModel") is { } calibrated)
        {
            return Mark(calibrated, read);
        }
        if (Part(model, "SubModelParameters") is IEnumerable classes)
        {
            var any = false;
            foreach (var classModel in classes)
            {
                if (classModel is null || !Mark(classModel, read))
                {
                    return false;
                }
                any = true;
            }
            return any;
        }
        return false;
    }

    /// <summary>The most derived property of that name (a generic class hides its base's with a typed one).</summary>
    private static object? Part(object model, string name)
    {
        for (var type = model.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly) is { } property)
            {
                return property.GetValue(model);
            }
        }
        return null;
    }

    private static bool MarkSplits(IEnumerable<RegressionTreeBase> trees, bool[] read)
    {
        foreach (var tree in trees)
        {
            for (var node = 0; node < tree.NumberOfNodes; node++)
            {
                if (node >= tree.CategoricalSplitFlags.Count || !tree.CategoricalSplitFlags[node])
                {
                    if (!MarkSlot(tree.NumericalSplitFeatureIndexes[node], read))
                    {
                        return false;
                    }
                    continue;
                }
                // A categorical split tests the slots of its category's whole range.
                var range = tree.GetCategoricalCategoricalSplitFeatureRangeAt(node);
                for (var slot = range[0]; slot <= range[^1]; slot++)
                {
                    if (!MarkSlot(slot, read))
                    {
                        return false;
                    }
                }
                foreach (var slot in tree.GetCategoricalSplitFeaturesAt(node))
                {
                    if (!MarkSlot(slot, read))
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /// <summary>False for a slot outside the vector: the model's numbering is not the vector's, so nothing is known.</summary>
    private static bool MarkSlot(int slot, bool[] read)
    {
        if (slot < 0 || slot >= read.Length)
        {
            return false;
        }
        read[slot] = true;
        return true;
    }
}
