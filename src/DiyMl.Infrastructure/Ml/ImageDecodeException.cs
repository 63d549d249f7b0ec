namespace DiyMl.Infrastructure.Ml;

/// <summary>An image that cannot be turned into pixels; the message names the image and says why.</summary>
public sealed class ImageDecodeException(string message) : Exception(message);
