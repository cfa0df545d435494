namespace MLOps.Runtime.Compiled;

/// <summary>The graph uses something outside the compiled subset; the message names the node and the reason.</summary>
internal sealed class UnsupportedGraphException(string message) : Exception(message);
