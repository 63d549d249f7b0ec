namespace DiyMl.Infrastructure.Storage;

/// <summary>A configuration or environment problem that stops start-up; its message is shown as one line.</summary>
public sealed class StartupException(string message) : Exception(message);
