using System.Security.Cryptography;

namespace DiyMl.Web.Security;

/// <summary>This request's CSP nonce, for the one inline script Blazor renders (the import map).</summary>
public sealed class CspNonce
{
    // Hex: Razor would HTML-encode base64's + and / in the attribute (harmless to browsers, but noisy).
    public string Value { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>
/// Headers on every response. The Content-Security-Policy allows scripts from this origin and the
/// import map's nonce only, so injected markup cannot run script; styles keep 'unsafe-inline'
/// because MudBlazor and Blazor set style attributes. connect-src 'self' covers the circuit's
/// WebSocket. The camera may be used by this origin only (for a later camera feature).
/// </summary>
public static class SecurityHeaders
{
    public const string PermissionsPolicy = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()";

    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "media-src 'self' blob:; " +
        "worker-src 'self' blob:; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'self'";

    /// <summary>The API reference page (Scalar) ships inline scripts of its own; it gets a policy that lets them run.</summary>
    private const string ReferencePagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

    /// <summary>Set as the response starts, so error responses (whose headers the exception handler clears) carry them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            Apply(context);
            return Task.CompletedTask;
        });
        return next(context);
    });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar")
            ? ReferencePagePolicy
            : ContentSecurityPolicy(context.RequestServices.GetRequiredService<CspNonce>().Value);
    }
}
