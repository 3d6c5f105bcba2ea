using ActorGateway.Simulation;

namespace ActorGateway.Benchmarks;

/// <summary>
/// Runs the real wvdial (Debian package) on the same kind of <see cref="InstantModem"/>, with the seed guide's init
/// strings plus the APN, and stops it once the modem answered CONNECT.
/// </summary>
internal sealed class WvdialBench(string wvdial, ModemProfile model)
{
    /// <summary>The init strings and dial of the configuration, as wvdial sends them.</summary>
    public static readonly string[] Chat = ["ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0", "AT+CGDCONT=1,\"IP\",\"internet\"", "ATDT*99#"];

    public async Task RunAsync(Scenario scenario, TimeSpan within, CancellationToken cancellationToken)
    {
        using var scratch = new Scratch();
        await using var modem = await InstantModem.StartAsync(scratch.Path, model, withPin: false).ConfigureAwait(false);
        // wvdial starts pppd after CONNECT; the measurement ends there, so a stand-in that only waits will do.
        var pppd = scratch.Script("pppd", """
            #!/bin/sh
            exec sleep 60
            """);
        var config = scratch.Write("wvdial.conf", $"""
            [Dialer Defaults]
            Modem = {modem.TtyPath}
            Baud = 115200
            Init1 = {Chat[0]}
            Init2 = {Chat[1]}
            Init3 = {Chat[2]}
            Phone = *99#
            Username = x
            Password = x
            Stupid Mode = 1
            Carrier Check = no
            Auto Reconnect = off
            PPPD Path = {pppd}
            """);

        await using var process = ChildProcess.Start(wvdial, ["-C", config], scratch.Path);
        try
        {
            var lines = await modem.WaitForConnectAsync(0, within, cancellationToken).ConfigureAwait(false);
            scenario.Samples.Add(Sample.From(process.StartedAt, lines));
        }
        catch (TimeoutException e)
        {
            throw new BenchmarkException($"wvdial did not connect: {e.Message}\n--- its output ---\n{process.OutputTail}");
        }
    }
}
