using ActorGateway.Host;
using System.CommandLine;

// SIGTERM and Ctrl+C belong to the generic host (ConsoleLifetime), which stops the actor system within
// GatewayHost.ShutdownTimeout: calls hung up, pppd waited for, NAT and routes removed. System.CommandLine's own
// termination handling would return from Main after its timeout (2 s where a version sets one) and cut that short.
return await Cli.Build().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
