namespace MLOps.Build.Manifest;

public enum ModelTask
{
    Binary,
    Multiclass,
    Regression,
}

public static class ModelTasks
{
    public static readonly IReadOnlyList<string> Names = ["binary", "multiclass", "regression"];

    public static bool TryParse(string? text, out ModelTask task)
    {
        switch (text)
        {
            case "binary": task = ModelTask.Binary; return true;
            case "multiclass": task = ModelTask.Multiclass; return true;
            case "regression": task = ModelTask.Regression; return true;
            default: task = default; return false;
        }
    }

    public static string ToName(this ModelTask task) => Names[(int)task];
}
