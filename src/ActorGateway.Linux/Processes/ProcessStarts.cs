using System.Diagnostics;

namespace ActorGateway.Linux.Processes;

/// <summary>How the gateway starts a program: an argument list (never a shell), with its standard streams redirected.</summary>
internal static class ProcessStarts
{
    public static ProcessStartInfo Redirected(string program, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
