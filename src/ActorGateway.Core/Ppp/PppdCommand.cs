using System.Globalization;
using System.Text;
using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;

namespace ActorGateway.Core.Ppp;

/// <summary>
/// How pppd is started for a call the gateway dialled itself: the argument list (never a shell string)
/// and the content of a private options file holding the credentials, which argv would show to <c>ps</c>.
/// </summary>
/// <param name="Program">The pppd executable.</param>
/// <param name="Arguments">One argument per item.</param>
/// <param name="SecretsFile">Path of the 0600 options file pppd reads with <c>file</c>, or null when there are no credentials.</param>
/// <param name="SecretsContent">Its content (<c>user</c> and <c>password</c> options), or null.</param>
public sealed record PppdCommand(string Program, IReadOnlyList<string> Arguments, string? SecretsFile, string? SecretsContent)
{
    /// <summary>
    /// Builds pppd's arguments for <paramref name="tty"/> from the profile. The modem has already
    /// answered CONNECT, so there is no connect script; pppd only carries the link (pppd(8)).
    /// </summary>
    public static PppdCommand Build(ModemProfile profile, string tty, string deviceId, string runtimeDirectory)
    {
        var ppp = profile.Ppp;
        var args = new List<string>
        {
            tty,
            profile.BaudRate.ToString(CultureInfo.InvariantCulture),
            "nodetach",      // stay our child, so its exit code reaches us
            "logfd", "2",    // log to stderr, which we read
            "noauth",        // we do not ask the ISP to authenticate itself
            "nolock",        // the gateway holds the device and its UUCP lock; pppd must not fight it
            "noipdefault",   // take the address the peer gives
            "ipparam", deviceId,
            "linkname", $"ag-{deviceId}",
            "lcp-echo-interval", ppp.LcpEchoInterval.ToString(CultureInfo.InvariantCulture),
            "lcp-echo-failure", ppp.LcpEchoFailure.ToString(CultureInfo.InvariantCulture),
            profile.ModemControlLines ? "modem" : "local",
        };

        args.AddRange(profile.FlowControl switch
        {
            FlowControl.RtsCts or FlowControl.RtsCtsAndXonXoff => ["crtscts"],
            FlowControl.XonXoff => ["nocrtscts", "xonxoff"],
            _ => ["nocrtscts"],
        });
        args.Add(ppp.DefaultRoute ? "defaultroute" : "nodefaultroute");
        if (ppp.UsePeerDns)
        {
            args.Add("usepeerdns");
        }

        if (ppp.Debug)
        {
            args.Add("debug");
        }

        string? secretsFile = null;
        string? secrets = null;
        if (profile.Username.Length > 0 || profile.Password.Length > 0)
        {
            secretsFile = Path.Combine(runtimeDirectory, $"ppp-{deviceId}.options");
            secrets = $"user {Quote(profile.Username)}\npassword {Quote(profile.Password)}\n";
            args.Add("file");
            args.Add(secretsFile);
        }

        args.AddRange(ppp.ExtraOptions);
        return new PppdCommand(ppp.Program, args, secretsFile, secrets);
    }

    /// <summary>The command as a person would type it, for logs; the secrets are in the file, not here.</summary>
    public override string ToString() => $"{Program} {string.Join(' ', Arguments)}";

    // pppd's options-file syntax: a word in double quotes, with backslash escapes (pppd(8), "OPTIONS FILES").
    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.Append('"').ToString();
    }
}
