using System.Text;

namespace ActorGateway.Simulation.At;

/// <summary>
/// Splits the body of a command line (what follows "AT") into commands, per V.250 §5.2–§5.4:
/// spaces are ignored and letters are case-insensitive outside quoted strings (§5.2.1, §5.1);
/// basic commands are a letter or '&amp;' plus a letter with an optional number (§5.3.1);
/// S-parameters are <c>Sn=v</c> / <c>Sn?</c> (§5.3.2); D takes the rest of the line as its dial string (§6.3.1);
/// extended commands start with '+' (or a manufacturer's prefix such as Huawei's '^', §5.4.1) and end at ';' (§5.4.4).
/// </summary>
internal static class CommandLineParser
{
    /// <summary>Characters that start an extended command: '+' and the manufacturer prefixes vendors use.</summary>
    public static bool IsExtendedPrefix(char c) => c is '+' or '^' or '$' or '%' or '#' or '*';

    /// <summary>Parses the body, or returns null when the line is not syntactically valid (the DCE answers ERROR).</summary>
    public static IReadOnlyList<AtCommand>? Parse(string body)
    {
        var s = Normalize(body);
        var commands = new List<AtCommand>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == ';')
            {
                i++;
                continue;
            }

            if (IsExtendedPrefix(c))
            {
                var start = i++;
                while (i < s.Length && IsNameChar(s[i]))
                {
                    i++;
                }

                var name = s[start..i];
                if (name.Length < 2)
                {
                    return null;
                }

                if (At(s, i, "=?"))
                {
                    commands.Add(new AtCommand(name, AtAccess.Test));
                    i += 2;
                }
                else if (At(s, i, "?"))
                {
                    commands.Add(new AtCommand(name, AtAccess.Read));
                    i++;
                }
                else if (At(s, i, "="))
                {
                    var end = EndOfArguments(s, i + 1);
                    commands.Add(new AtCommand(name, AtAccess.Set, s[(i + 1)..end]));
                    i = end;
                }
                else
                {
                    commands.Add(new AtCommand(name, AtAccess.Action));
                }

                // V.250 §5.4.4: after an extended command only ';' or the end of the line may follow.
                if (i < s.Length && s[i] != ';')
                {
                    return null;
                }

                continue;
            }

            if (c == 'D')
            {
                // The dial string runs to the end of the line; a trailing ';' (voice call) stays in it.
                var end = s.IndexOf(';', i + 1);
                var dial = end < 0 ? s[(i + 1)..] : s[(i + 1)..(end + 1)];
                commands.Add(new AtCommand("D", AtAccess.Action, dial));
                i = end < 0 ? s.Length : end + 1;
                continue;
            }

            if (c == 'S')
            {
                i++;
                var register = ReadNumber(s, ref i);
                if (register is null)
                {
                    return null;
                }

                if (At(s, i, "?"))
                {
                    commands.Add(new AtCommand("S", AtAccess.Read, "", register));
                    i++;
                }
                else if (At(s, i, "="))
                {
                    i++;
                    var value = ReadNumber(s, ref i);
                    commands.Add(new AtCommand("S", AtAccess.Set, value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "0", register));
                }
                else
                {
                    return null;
                }

                continue;
            }

            if (c == '&' && i + 1 < s.Length && char.IsAsciiLetterUpper(s[i + 1]))
            {
                var name = s.Substring(i, 2);
                i += 2;
                commands.Add(new AtCommand(name, AtAccess.Action, "", ReadNumber(s, ref i)));
                continue;
            }

            if (char.IsAsciiLetterUpper(c))
            {
                i++;
                commands.Add(new AtCommand(c.ToString(), AtAccess.Action, "", ReadNumber(s, ref i)));
                continue;
            }

            return null;
        }

        return commands;
    }

    /// <summary>Splits extended-command arguments at commas outside quotes and removes the quotes.</summary>
    public static IReadOnlyList<string> SplitArguments(string arguments)
    {
        var result = new List<string>();
        if (arguments.Length == 0)
        {
            return result;
        }

        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in arguments)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                result.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        result.Add(current.ToString());
        return result;
    }

    /// <summary>Drops spaces and upper-cases letters outside quoted strings.</summary>
    private static string Normalize(string body)
    {
        var sb = new StringBuilder(body.Length);
        var quoted = false;
        foreach (var c in body)
        {
            if (c == '"')
            {
                quoted = !quoted;
                sb.Append(c);
            }
            else if (quoted)
            {
                sb.Append(c);
            }
            else if (c != ' ')
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }

        return sb.ToString();
    }

    private static int EndOfArguments(string s, int from)
    {
        var quoted = false;
        for (var i = from; i < s.Length; i++)
        {
            if (s[i] == '"')
            {
                quoted = !quoted;
            }
            else if (s[i] == ';' && !quoted)
            {
                return i;
            }
        }

        return s.Length;
    }

    private static bool IsNameChar(char c) =>
        char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '!' or '%' or '-' or '.' or '/' or ':' or '_';

    private static bool At(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

    private static int? ReadNumber(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i == start || i - start > 5
            ? null
            : int.Parse(s.AsSpan(start, i - start), System.Globalization.CultureInfo.InvariantCulture);
    }
}
