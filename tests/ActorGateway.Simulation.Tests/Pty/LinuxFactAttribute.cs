namespace ActorGateway.Simulation.Tests.Pty;

/// <summary>A fact that needs Linux ptys; skipped elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux ptys";
        }
    }
}
