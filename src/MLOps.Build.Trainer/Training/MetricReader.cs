using MLOps.Build.Manifest;

namespace MLOps.Build.Trainer.Training;

/// <summary>Reads ML.NET's metric objects by the property names the manifest's gates use.</summary>
public static class MetricReader
{
    public static SortedDictionary<string, double> Read(ModelTask task, object metrics)
    {
        var result = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in MetricCatalog.For(task))
        {
            var property = metrics.GetType().GetProperty(name);
            if (property?.GetValue(metrics) is double value && !double.IsNaN(value) && !double.IsInfinity(value))
            {
                result[name] = value;
            }
        }
        return result;
    }
}
