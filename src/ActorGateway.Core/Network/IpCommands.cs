using System.Globalization;
using System.Net;
using ActorGateway.Core.Io;

namespace ActorGateway.Core.Network;

/// <summary>
/// The iproute2 commands the gateway runs, as argument lists (ip-address(8), ip-route(8), ip-link(8)). Every
/// route it adds carries its own protocol number (<c>proto</c>), so that its routes are told apart from
/// anyone else's and a run that crashed leaves nothing the next start does not flush.
/// </summary>
/// <param name="Program">The ip executable.</param>
/// <param name="RouteProtocol">The <c>proto</c> of the gateway's routes (rt_protos: 0–4 are the kernel's; 171 is unassigned).</param>
public sealed record IpCommands(string Program = "/usr/sbin/ip", int RouteProtocol = 171)
{
    /// <summary><c>ip link set dev IF up</c>.</summary>
    public CommandSpec LinkUp(string ifname) => Ip("link", "set", "dev", InterfaceName.Require(ifname), "up");

    /// <summary>
    /// <c>ip address replace A/P dev IF valid_lft L preferred_lft L</c>: with the lease time as lifetime, the
    /// kernel itself drops the address if the lease is never renewed (even if the gateway is gone).
    /// </summary>
    public CommandSpec ReplaceAddress(string ifname, IPAddress address, int prefix, TimeSpan? lifetime)
    {
        var lft = lifetime is { } l ? ((long)Math.Ceiling(l.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : "forever";
        return Ip("address", "replace", $"{address}/{prefix}", "dev", InterfaceName.Require(ifname), "valid_lft", lft, "preferred_lft", lft);
    }

    /// <summary><c>ip address del A/P dev IF</c>.</summary>
    public CommandSpec DeleteAddress(string ifname, IPAddress address, int prefix) =>
        Ip("address", "del", $"{address}/{prefix}", "dev", InterfaceName.Require(ifname));

    /// <summary>
    /// <c>ip -4 route replace default [via GW] dev IF metric M proto P [onlink]</c>: changes the uplink's own
    /// default route at a metric it already holds. IPv4 matches a route to replace on prefix, tos and metric
    /// alone, whatever its device or protocol: at a metric the uplink does not hold yet, this would take another
    /// program's route (NetworkManager's ethernet default is metric 100); use <see cref="AddDefaultRoute"/>.
    /// </summary>
    public CommandSpec ReplaceDefaultRoute(string ifname, IPAddress? gateway, int metric, bool onlink = false) =>
        DefaultRoute("replace", ifname, gateway, metric, onlink);

    /// <summary>
    /// <c>ip -4 route add default [via GW] dev IF metric M proto P [onlink]</c>: the uplink's default route at a new
    /// metric; it fails with "File exists" when any default route holds that metric.
    /// </summary>
    public CommandSpec AddDefaultRoute(string ifname, IPAddress? gateway, int metric, bool onlink = false) =>
        DefaultRoute("add", ifname, gateway, metric, onlink);

    /// <summary><c>ip -4 route show default</c>: every IPv4 default route, to say which one is in the way.</summary>
    public CommandSpec ShowDefaultRoutes() => Ip("-4", "route", "show", "default");

    private CommandSpec DefaultRoute(string verb, string ifname, IPAddress? gateway, int metric, bool onlink)
    {
        var args = new List<string> { "-4", "route", verb, "default" };
        if (gateway is not null)
        {
            args.AddRange(["via", gateway.ToString()]);
        }

        args.AddRange(["dev", InterfaceName.Require(ifname), "metric", Number(metric), "proto", Number(RouteProtocol)]);
        if (onlink)
        {
            args.Add("onlink"); // a router outside a /32 lease's subnet (ip-route(8), "onlink")
        }

        return new CommandSpec(Program, args);
    }

    /// <summary><c>ip -4 route del default dev IF metric M proto P</c>.</summary>
    public CommandSpec DeleteDefaultRoute(string ifname, int metric) =>
        Ip("-4", "route", "del", "default", "dev", InterfaceName.Require(ifname), "metric", Number(metric), "proto", Number(RouteProtocol));

    /// <summary><c>ip -4 route flush proto P</c>: every route of the gateway's, e.g. those a crashed run left.</summary>
    public CommandSpec FlushRoutes() => Ip("-4", "route", "flush", "proto", Number(RouteProtocol));

    private CommandSpec Ip(params string[] args) => new(Program, args);

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
