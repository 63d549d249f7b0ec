namespace DiyMl.Web.Security;

/// <summary>
/// The address throttling counts against: the connection's remote address, which the forwarded
/// headers middleware has already replaced with the client's when the request came through a
/// trusted proxy. IPv6 clients are counted by their /64, since one host usually holds a whole one.
/// </summary>
public static class ClientAddress
{
    /// <summary>Stands for a request whose address cannot be seen; throttles do not pool these.</summary>
    public const string Unknown = "unknown";

    public static string Of(HttpContext? context)
    {
        var ip = context?.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return Unknown;
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = ip.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new System.Net.IPAddress(bytes) + "/64";
        }

        return ip.ToString();
    }
}
