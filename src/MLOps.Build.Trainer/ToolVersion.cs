using System.Reflection;

namespace MLOps.Build.Trainer;

public static class ToolVersion
{
    public static string Current { get; } = Of(typeof(ToolVersion));

    public static string Of(Type type) =>
        type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? type.Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
