namespace ActorGateway.Integration.Tests.Linux;

/// <summary>A fact that changes the machine (network interfaces): it runs as root only, as <c>sudo ./tools/test</c> does.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root (it adds and removes a network interface to hear the kernel's uevents)";
        }
    }
}
