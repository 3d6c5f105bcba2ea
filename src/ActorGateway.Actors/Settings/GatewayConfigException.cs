namespace ActorGateway.Actors.Settings;

/// <summary>The configuration is wrong: which file, which key, and what is wrong with it.</summary>
public sealed class GatewayConfigException : Exception
{
    public GatewayConfigException(string source, string key, string problem, Exception? inner = null)
        : base($"{source}: {key}: {problem}", inner)
    {
        ConfigSource = source;
        Key = key;
        Problem = problem;
    }

    /// <summary>The file (or "defaults") the bad value came from.</summary>
    public string ConfigSource { get; }

    /// <summary>The full path of the key, e.g. <c>actorgateway.static-devices[0].baud</c>.</summary>
    public string Key { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
