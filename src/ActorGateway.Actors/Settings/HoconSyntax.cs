namespace ActorGateway.Actors.Settings;

/// <summary>
/// A structural check of HOCON text before it is parsed. Akka's HOCON parser accepts a truncated file
/// (<c>static-devices = [</c>) or a key with no value without a word, and a gateway must not start on
/// half a configuration; this finds unbalanced braces and brackets, unterminated strings and keys
/// without values, and says where (line and column).
/// </summary>
public static class HoconSyntax
{
    /// <summary>Null when the text is well formed, else what is wrong and where.</summary>
    public static string? Check(string text)
    {
        var open = new Stack<(char Bracket, int Line, int Column)>();
        var line = 1;
        var column = 0;
        (int Line, int Column)? awaitingValue = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            column++;
            if (c == '\n')
            {
                line++;
                column = 0;
                continue;
            }

            if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (awaitingValue is { } at && c is '}' or ']' or ',')
            {
                return $"line {at.Line}, column {at.Column}: a key has no value";
            }

            if (c is '=' or ':' && !(c == ':' && awaitingValue is not null))
            {
                awaitingValue = (line, column);
                continue;
            }

            awaitingValue = null;
            switch (c)
            {
                case '"' when i + 2 < text.Length && text[i + 1] == '"' && text[i + 2] == '"':
                    var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
                    if (end < 0)
                    {
                        return $"line {line}, column {column}: a \"\"\" string is never closed";
                    }

                    for (var j = i; j < end + 3; j++)
                    {
                        if (text[j] == '\n')
                        {
                            line++;
                            column = 0;
                        }
                        else
                        {
                            column++;
                        }
                    }

                    i = end + 2;
                    break;
                case '"':
                    var startColumn = column;
                    i++;
                    while (i < text.Length && text[i] != '"' && text[i] != '\n')
                    {
                        if (text[i] == '\\')
                        {
                            i++;
                            column++;
                        }

                        i++;
                        column++;
                    }

                    if (i >= text.Length || text[i] != '"')
                    {
                        return $"line {line}, column {startColumn}: a string is not closed on its line";
                    }

                    column++;
                    break;
                case '{' or '[':
                    open.Push((c, line, column));
                    break;
                case '}' or ']':
                    var expected = c == '}' ? '{' : '[';
                    if (open.Count == 0)
                    {
                        return $"line {line}, column {column}: '{c}' closes nothing";
                    }

                    var top = open.Pop();
                    if (top.Bracket != expected)
                    {
                        return $"line {line}, column {column}: '{c}' closes the '{top.Bracket}' opened at line {top.Line}, column {top.Column}";
                    }

                    break;
            }
        }

        if (awaitingValue is { } last)
        {
            return $"line {last.Line}, column {last.Column}: a key has no value";
        }

        return open.Count > 0
            ? $"line {open.Peek().Line}, column {open.Peek().Column}: '{open.Peek().Bracket}' is never closed"
            : null;
    }
}
