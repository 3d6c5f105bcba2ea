using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ActorGateway.Core.Io;
using ActorGateway.Linux.Serial;
using ActorGateway.Simulation;

namespace ActorGateway.Benchmarks;

/// <summary>Round trips of one AT command on the instant modem's pty, without actors.</summary>
/// <param name="SystemIoPortsMs">Through the gateway's <see cref="SystemSerialConnection"/> (System.IO.Ports) with a read always pending, as the gateway reads.</param>
/// <param name="RawTtyMs">Through plain read(2)/write(2) on the same tty.</param>
internal sealed record SerialFloor(double SystemIoPortsMs, double RawTtyMs)
{
    private const int Rounds = 200;
    private static readonly byte[] At = Encoding.ASCII.GetBytes("AT\r");

    /// <summary>The median round trip of each path (after a few unmeasured ones).</summary>
    public static async Task<SerialFloor> MeasureAsync(ModemProfile model, CancellationToken cancellationToken)
    {
        using var scratch = new Scratch();
        await using var modem = await InstantModem.StartAsync(scratch.Path, model, withPin: false).ConfigureAwait(false);

        double ports;
        await using (var connection = SystemSerialConnection.Open(new SerialPortOptions(modem.TtyPath, 115200, FlowControl.RtsCts)))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var received = Channel.CreateUnbounded<string>();
            var reader = Task.Run(async () =>
            {
                var buffer = new byte[4096];
                try
                {
                    while (true)
                    {
                        var n = await connection.ReadAsync(buffer, stop.Token).ConfigureAwait(false);
                        received.Writer.TryWrite(Encoding.ASCII.GetString(buffer, 0, n));
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                }
            }, CancellationToken.None);
            ports = await MedianAsync(async () =>
            {
                await connection.WriteAsync(At, cancellationToken).ConfigureAwait(false);
                var text = string.Empty;
                while (!text.Contains("OK\r\n", StringComparison.Ordinal))
                {
                    text += await received.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
        }

        // The modem's hang-up detection polls every 20 ms: give it time to see the close before the next open.
        await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        double raw;
        using (var tty = new FileStream(modem.TtyPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0))
        {
            var buffer = new byte[4096];
            raw = await MedianAsync(() =>
            {
                tty.Write(At);
                var text = string.Empty;
                while (!text.Contains("OK\r\n", StringComparison.Ordinal))
                {
                    var n = tty.Read(buffer);
                    text += Encoding.ASCII.GetString(buffer, 0, n);
                }

                return Task.CompletedTask;
            }).ConfigureAwait(false);
        }

        return new SerialFloor(ports, raw);
    }

    private static async Task<double> MedianAsync(Func<Task> once)
    {
        for (var i = 0; i < 20; i++)
        {
            await once().ConfigureAwait(false);
        }

        var times = new double[Rounds];
        for (var i = 0; i < Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            await once().ConfigureAwait(false);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        return Stat.Of(times).Median;
    }
}
