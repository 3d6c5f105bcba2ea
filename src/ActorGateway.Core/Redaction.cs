using System.Text.RegularExpressions;

namespace ActorGateway.Core;

/// <summary>
/// Masks what must never reach a log or a status line: SIM PINs and PUKs, passwords, and full IMSIs.
/// </summary>
public static partial class Redaction
{
    /// <summary>The mask put in place of a secret.</summary>
    public const string Mask = "****";

    // Commands whose arguments include a PIN, PUK or password (27.007 §8.3 +CPIN, §7.4 +CLCK, §7.5 +CPWD,
    // §10.1.31 +CGAUTH; Huawei ^CPIN, ^AUTHDATA; Quectel +QICSGP; Sierra $QCPDPP).
    private static readonly string[] SensitiveCommands =
        ["+CPIN=", "+CLCK=", "+CPWD=", "+CGAUTH=", "^CPIN=", "^AUTHDATA=", "+QICSGP=", "$QCPDPP=", "+CPIN2="];

    /// <summary>True when the command line carries a secret.</summary>
    public static bool IsSensitiveCommand(string commandLine) =>
        SensitiveCommands.Any(c => commandLine.Contains(c, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The command line with everything after the '=' of a sensitive command masked: its arguments may be
    /// quoted or not (<c>AT+CGAUTH=1,1,user,secret</c>), so none of them is kept.
    /// </summary>
    public static string Command(string commandLine)
    {
        if (!IsSensitiveCommand(commandLine))
        {
            return commandLine;
        }

        var eq = commandLine.IndexOf('=');
        return eq < 0 ? commandLine : commandLine[..(eq + 1)] + Mask;
    }

    /// <summary>
    /// An IMSI (3GPP TS 23.003 §2.2: MCC 3 digits, MNC 2–3, MSIN) shortened to what identifies the
    /// network only: <c>001010123456789</c> → <c>00101**********</c>.
    /// </summary>
    public static string Imsi(string imsi)
    {
        var digits = imsi.Trim();
        return digits.Length <= 5 ? Mask : digits[..5] + new string('*', digits.Length - 5);
    }

    /// <summary>
    /// A response line to <paramref name="commandLine"/> with the IMSI masked when the command asks for
    /// it (27.007 §5.6 +CIMI, Huawei ^CIMI, or a line that says +CIMI:). IMEIs and ICCIDs are left alone.
    /// </summary>
    public static string ResponseLine(string? commandLine, string line)
    {
        var asksImsi = commandLine is not null && commandLine.Contains("CIMI", StringComparison.OrdinalIgnoreCase);
        return asksImsi || line.Contains("CIMI", StringComparison.OrdinalIgnoreCase)
            ? ImsiLine().Replace(line, m => Imsi(m.Value))
            : line;
    }

    [GeneratedRegex("(?<![0-9])[0-9]{6,15}(?![0-9])")]
    private static partial Regex ImsiLine();
}
