using ActorGateway.Host;

return await Cli.Build().Parse(args).InvokeAsync();
