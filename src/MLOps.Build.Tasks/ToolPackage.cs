namespace MLOps.Build.Tasks;

/// <summary>This MLOps.Build package's version (its tasks assembly's informational version), which MLOps.Runtime shares.</summary>
internal static class ToolPackage
{
    /// <summary>As built, source revision included (<c>1.4.0+9f1c2e4</c>): a new build of the tool retrains.</summary>
    public static string Informational { get; } =
        typeof(ToolPackage).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "0.0.0";

    /// <summary>The NuGet version (<c>1.4.0</c>), without the source revision.</summary>
    public static string Package => Informational.Split('+')[0];
}
