using System.Text;

namespace ActorGateway.Core.Network;

/// <summary>
/// The gateway's own nftables table, as data: its name and the LAN interfaces. Uplink interfaces are not
/// part of it; they come and go as elements of the table's <c>uplinks</c> set.
/// </summary>
/// <param name="Name">The table's name in the <c>inet</c> family; the gateway never touches any other table.</param>
/// <param name="LanInterfaces">Interfaces on the LAN side: their traffic may leave through an uplink.</param>
/// <param name="ClampMss">Clamp the MSS of TCP SYNs leaving through an uplink to the route's MTU.</param>
public sealed record NatTableSpec(string Name, IReadOnlyList<string> LanInterfaces, bool ClampMss = true);

/// <summary>
/// Builds the nft scripts (nft(8) syntax, fed to <c>nft -f -</c>) for sharing the uplinks with the LAN:
/// <list type="bullet">
/// <item>a <c>forward</c> chain (hook forward, priority filter, policy accept so that it never decides for
/// traffic that is not ours) that lets replies in from an uplink, drops every new connection that arrives
/// from an uplink, drops every new connection into the LAN that does not come from the LAN (whether or not
/// the interface it comes from is an uplink that is up right now), and accepts the LAN's traffic out through
/// an uplink;</item>
/// <item>a <c>postrouting</c> chain (hook postrouting, priority srcnat) that masquerades IPv4 leaving
/// through an uplink.</item>
/// </list>
/// The uplinks are a named set, so an uplink that comes or goes is one element change, never a rewrite of the
/// table. No rule names an uplink; no connection mark is needed on failover either: a masqueraded connection
/// whose packets start leaving through another interface is dropped and forgotten by the kernel
/// (net/netfilter/nf_nat_proto.c, <c>nf_nat_oif_changed</c>), so the next packet is masqueraded afresh.
/// </summary>
public static class NftRuleset
{
    /// <summary>The named set of the interfaces of active uplinks.</summary>
    public const string UplinkSet = "uplinks";

    /// <summary>The named set of LAN interfaces.</summary>
    public const string LanSet = "lan";

    /// <summary>The comment on the rule that drops new connections from an uplink; tests read its counter.</summary>
    public const string InboundDropComment = "new connections from an uplink are never forwarded";

    /// <summary>The comment on the rule that drops new connections into the LAN from any other interface; tests read its counter.</summary>
    public const string IntoLanDropComment = "new connections into the LAN come only from the LAN";

    /// <summary>
    /// The whole table, in one transaction that first removes any table of that name (one a crashed run left
    /// behind): <c>add table</c> then <c>delete table</c> always succeeds, whether the table existed or not
    /// (the atomic-replace idiom of the nftables wiki, "Scripting").
    /// </summary>
    public static string Create(NatTableSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = TableName(spec.Name);
        var sb = new StringBuilder();
        sb.Append("add table inet ").Append(name).Append('\n');
        sb.Append("delete table inet ").Append(name).Append('\n');
        sb.Append("table inet ").Append(name).Append(" {\n");
        sb.Append("\tset ").Append(UplinkSet).Append(" {\n\t\ttype ifname\n\t}\n\n");
        sb.Append("\tset ").Append(LanSet).Append(" {\n\t\ttype ifname\n");
        if (spec.LanInterfaces.Count > 0)
        {
            sb.Append("\t\telements = { ").Append(Elements(spec.LanInterfaces)).Append(" }\n");
        }

        sb.Append("\t}\n\n");
        sb.Append("\tchain forward {\n");
        sb.Append("\t\ttype filter hook forward priority filter; policy accept;\n");
        sb.Append("\t\tiifname @").Append(UplinkSet).Append(" ct state established,related accept\n");
        sb.Append("\t\tiifname @").Append(UplinkSet).Append(" counter drop comment \"").Append(InboundDropComment).Append("\"\n");
        // The LAN is protected whatever the uplinks' state: an uplink's interface is in the uplink set only while it
        // is up, and while udhcpc asks, after a lost lease or between flaps the policy accept would forward a new
        // connection from its segment into the LAN (ip_forward is on).
        sb.Append("\t\toifname @").Append(LanSet).Append(" ct state established,related accept\n");
        sb.Append("\t\tiifname != @").Append(LanSet).Append(" oifname @").Append(LanSet).Append(" counter drop comment \"").Append(IntoLanDropComment).Append("\"\n");
        if (spec.ClampMss)
        {
            // Mobile links often carry less than 1500 bytes; a LAN host does not know that (nft(8), "EXTENSION HEADER
            // EXPRESSIONS": tcp option maxseg size set rt mtu).
            sb.Append("\t\toifname @").Append(UplinkSet).Append(" tcp flags syn / syn,rst tcp option maxseg size set rt mtu\n");
        }

        sb.Append("\t\tiifname @").Append(LanSet).Append(" oifname @").Append(UplinkSet).Append(" counter accept\n");
        sb.Append("\t}\n\n");
        sb.Append("\tchain postrouting {\n");
        sb.Append("\t\ttype nat hook postrouting priority srcnat; policy accept;\n");
        sb.Append("\t\toifname @").Append(UplinkSet).Append(" meta nfproto ipv4 masquerade\n");
        sb.Append("\t}\n");
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The table with <paramref name="uplinks"/> already in its set: used when the table is recreated.</summary>
    public static string CreateWith(NatTableSpec spec, IReadOnlyCollection<string> uplinks) =>
        uplinks.Count == 0 ? Create(spec) : Create(spec) + AddUplinks(spec.Name, uplinks);

    /// <summary>Adds interfaces to the uplink set (adding one already there is not an error).</summary>
    public static string AddUplinks(string table, IReadOnlyCollection<string> interfaces) =>
        $"add element inet {TableName(table)} {UplinkSet} {{ {Elements(interfaces)} }}\n";

    /// <summary>
    /// Removes an interface from the uplink set whether it is there or not: adding it first makes the delete
    /// always succeed in the same transaction (nft 1.0.6 has no <c>destroy element</c>).
    /// </summary>
    public static string RemoveUplink(string table, string ifname)
    {
        var element = Elements([ifname]);
        return $"add element inet {TableName(table)} {UplinkSet} {{ {element} }}\n" +
               $"delete element inet {TableName(table)} {UplinkSet} {{ {element} }}\n";
    }

    /// <summary>Removes the table and everything in it, whether it exists or not.</summary>
    public static string Delete(string table) =>
        $"add table inet {TableName(table)}\ndelete table inet {TableName(table)}\n";

    /// <summary>True for a name nft takes unquoted as a table name (letters, digits, '_', starting with a letter).</summary>
    public static bool IsValidTableName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string TableName(string name) => IsValidTableName(name)
        ? name
        : throw new ArgumentException($"\"{name}\" is not a table name (letters, digits and '_', starting with a letter)", nameof(name));

    private static string Elements(IEnumerable<string> interfaces) =>
        string.Join(", ", interfaces.Select(i => $"\"{InterfaceName.Require(i)}\""));
}
