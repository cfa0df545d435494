using MLOps.Shared;

namespace MLOps.Build.Generators.Common;

/// <summary>
/// A diagnostic's message arguments quote the model card (a column's name, the categories seen in training): a control
/// character in one is shown as its code, so that the compiler's message stays one line (a line break must not start a
/// log line of its own, which GitHub Actions reads as a workflow command when it starts with <c>::</c>).
/// </summary>
internal static class DiagnosticArguments
{
    public static object?[] Shown(object?[] arguments) =>
        arguments.Select(argument => argument is string text ? InvisibleCharacters.Shown(text) : argument).ToArray();
}
