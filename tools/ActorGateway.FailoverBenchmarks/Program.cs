using System.CommandLine;
using ActorGateway.FailoverBenchmarks;

var runs = new Option<int>("--runs") { Description = "runs of each scenario", DefaultValueFactory = _ => 5 };
var interval = new Option<string>("--interval") { Description = "health.interval for the gateway (default: the shipped 1s)", DefaultValueFactory = _ => "1s" };
var timeout = new Option<string>("--timeout") { Description = "health.timeout (default: the shipped 1s)", DefaultValueFactory = _ => "1s" };
var down = new Option<int>("--down") { Description = "health.down (default: the shipped 2)", DefaultValueFactory = _ => 2 };
var up = new Option<int>("--up") { Description = "health.up (default: the shipped 3)", DefaultValueFactory = _ => 3 };
var hold = new Option<string>("--hold") { Description = "failover.hold-time (shipped: 30s; shorter here so that runs do not wait)", DefaultValueFactory = _ => "5s" };
var stream = new Option<int>("--stream-ms") { Description = "the LAN host's ping interval in milliseconds", DefaultValueFactory = _ => 10 };
var verbose = new Option<bool>("--verbose") { Description = "print the gateway's log" };

var root = new RootCommand("Failover gaps seen from the LAN: hard (carrier lost, phone unplugged), silent (packets dropped upstream) and failback.")
{
    runs, interval, timeout, down, up, hold, stream, verbose,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var options = new BenchOptions(
        parse.GetValue(runs),
        parse.GetValue(interval)!,
        parse.GetValue(timeout)!,
        parse.GetValue(down),
        parse.GetValue(up),
        parse.GetValue(hold)!,
        TimeSpan.FromMilliseconds(parse.GetValue(stream)),
        parse.GetValue(verbose));
    return await FailoverBench.RunAsync(options, Console.Out, cancellationToken);
});
return await root.Parse(args).InvokeAsync();
