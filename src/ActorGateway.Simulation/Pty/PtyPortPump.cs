using System.Runtime.InteropServices;
using System.Text;

namespace ActorGateway.Simulation.Pty;

/// <summary>
/// One simulated tty behind a real pty: a thread moves bytes between the master and the <see cref="SimulatedPort"/>.
/// DTR is modelled from the slave's open count: on Linux the master sees POLLHUP (reads fail with EIO) once every
/// slave descriptor is closed, and the HUP clears when someone opens the slave again. That last close is the pty's
/// analogue of a real tty closing with HUPCL, which drops DTR - so with <c>&amp;D2</c> the simulated modem hangs up.
/// </summary>
internal sealed unsafe class PtyPortPump : IDisposable
{
    // The kernel gives no edge when a hung-up pty is reopened, so the closed state is checked at this pace.
    private static readonly TimeSpan HangupPollInterval = TimeSpan.FromMilliseconds(20);
    private const int MaxPending = 64 * 1024;

    private readonly Lock _fdGate = new();
    private readonly SimulatedPort _port;
    private readonly int _master;
    private readonly int _wake;
    private readonly Thread _thread;
    private readonly List<byte> _pending = [];
    private volatile bool _stopping;
    private bool _closed;
    private bool _slaveOpen;
    private int _incarnation;

    public PtyPortPump(SimulatedPort port)
    {
        _port = port;
        _master = Interop.posix_openpt(Interop.ORdWr | Interop.ONoCtty | Interop.OCloExec);
        if (_master < 0)
        {
            throw Interop.Error("posix_openpt");
        }

        try
        {
            if (Interop.grantpt(_master) != 0)
            {
                throw Interop.Error("grantpt");
            }

            if (Interop.unlockpt(_master) != 0)
            {
                throw Interop.Error("unlockpt");
            }

            var name = stackalloc byte[128];
            if (Interop.ptsname_r(_master, name, 128) != 0)
            {
                throw Interop.Error("ptsname_r");
            }

            SlavePath = Marshal.PtrToStringUTF8((nint)name) ?? throw new IOException("ptsname_r returned nothing");

            // Termios requests on a Linux pty master act on the pair, so the slave starts raw (no echo of our own
            // output back into the simulator) even for openers that never set the mode themselves.
            Interop.MakeRaw(_master);
            var flags = Interop.fcntl(_master, Interop.FGetFl, 0);
            if (flags < 0 || Interop.fcntl(_master, Interop.FSetFl, flags | Interop.ONonBlock) < 0)
            {
                throw Interop.Error("fcntl");
            }

            // A never-opened slave does not report POLLHUP; opening and closing it once arms the hang-up detection.
            var slave = Interop.open(SlavePath, Interop.ORdWr | Interop.ONoCtty | Interop.OCloExec);
            if (slave < 0)
            {
                throw Interop.Error($"open {SlavePath}");
            }

            Interop.close(slave);
            _wake = Interop.eventfd(0, Interop.ONonBlock | Interop.OCloExec);
            if (_wake < 0)
            {
                throw Interop.Error("eventfd");
            }
        }
        catch
        {
            Interop.close(_master);
            throw;
        }

        _port.Changed += OnPortChanged;
        _thread = new Thread(Run) { IsBackground = true, Name = $"pty {port}" };
        _thread.Start();
    }

    /// <summary>The slave device, e.g. <c>/dev/pts/3</c>.</summary>
    public string SlavePath { get; }

    /// <summary>Stops the loop and closes the master (slave users then get EIO); waits unless called from the loop.</summary>
    public void Dispose()
    {
        _stopping = true;
        Wake();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Run()
    {
        var buffer = new byte[4096];
        try
        {
            while (!_stopping)
            {
                if (!_slaveOpen)
                {
                    WaitForOpen();
                    continue;
                }

                Pump(buffer);
            }
        }
        catch (IOException)
        {
            // An OS error we cannot recover from ends this tty (its users see EIO), not the whole process.
        }
        finally
        {
            _port.Changed -= OnPortChanged;
            if (_slaveOpen)
            {
                _port.Close(_incarnation);
            }

            lock (_fdGate)
            {
                _closed = true;
                Interop.close(_master);
                Interop.close(_wake);
            }
        }
    }

    private void WaitForOpen()
    {
        var revents = Poll(_master, Interop.PollIn, 0);
        if ((revents & Interop.PollHup) == 0 || (revents & Interop.PollIn) != 0)
        {
            try
            {
                _incarnation = _port.Open();
                _slaveOpen = true;
            }
            catch (IOException)
            {
                // The device is gone; the host is about to stop this pump.
                WaitOnWake((int)HangupPollInterval.TotalMilliseconds);
            }

            return;
        }

        WaitOnWake((int)HangupPollInterval.TotalMilliseconds);
    }

    private void Pump(byte[] buffer)
    {
        DrainPortOutput(buffer);
        var fds = stackalloc Interop.PollFd[2];
        fds[0] = new Interop.PollFd { Fd = _master, Events = (short)(Interop.PollIn | (_pending.Count > 0 ? Interop.PollOut : 0)) };
        fds[1] = new Interop.PollFd { Fd = _wake, Events = Interop.PollIn };
        if (Interop.poll(fds, 2, -1) < 0)
        {
            if (Marshal.GetLastPInvokeError() == Interop.EIntr)
            {
                return;
            }

            throw Interop.Error("poll");
        }

        if ((fds[1].REvents & Interop.PollIn) != 0)
        {
            ulong counter;
            Interop.read(_wake, (byte*)&counter, sizeof(ulong));
        }

        var master = fds[0].REvents;
        if ((master & Interop.PollIn) != 0 && !ReadMaster(buffer))
        {
            SlaveClosed();
            return;
        }

        if ((master & (Interop.PollHup | Interop.PollErr)) != 0)
        {
            SlaveClosed();
            return;
        }

        if ((master & Interop.PollOut) != 0)
        {
            WritePending();
        }
    }

    /// <summary>Feeds what the host wrote to the simulator; false once the slave side is gone (EIO).</summary>
    private bool ReadMaster(byte[] buffer)
    {
        while (!_stopping)
        {
            nint n;
            fixed (byte* p = buffer)
            {
                n = Interop.read(_master, p, buffer.Length);
            }

            if (n > 0)
            {
                try
                {
                    _port.Receive(buffer.AsSpan(0, (int)n));
                }
                catch (IOException)
                {
                    // Vanished while we were reading; the host stops this pump.
                    return true;
                }

                continue;
            }

            var errno = n < 0 ? Marshal.GetLastPInvokeError() : Interop.EIo;
            return errno is Interop.EAgain or Interop.EIntr;
        }

        return true;
    }

    private void DrainPortOutput(byte[] buffer)
    {
        while (_pending.Count < MaxPending)
        {
            var n = _port.Read(buffer);
            if (n == 0)
            {
                break;
            }

            _pending.AddRange(buffer.AsSpan(0, n));
        }
    }

    private void WritePending()
    {
        var span = CollectionsMarshal.AsSpan(_pending);
        nint written;
        fixed (byte* p = span)
        {
            written = Interop.write(_master, p, span.Length);
        }

        if (written > 0)
        {
            _pending.RemoveRange(0, (int)written);
        }
    }

    private void SlaveClosed()
    {
        _slaveOpen = false;
        _pending.Clear();
        _port.Close(_incarnation);
    }

    private static short Poll(int fd, short events, int timeout)
    {
        var pfd = new Interop.PollFd { Fd = fd, Events = events };
        return Interop.poll(&pfd, 1, timeout) > 0 ? pfd.REvents : (short)0;
    }

    private void WaitOnWake(int milliseconds)
    {
        if ((Poll(_wake, Interop.PollIn, milliseconds) & Interop.PollIn) != 0)
        {
            ulong counter;
            Interop.read(_wake, (byte*)&counter, sizeof(ulong));
        }
    }

    private void OnPortChanged(SimulatedPort port) => Wake();

    private void Wake()
    {
        lock (_fdGate)
        {
            if (_closed)
            {
                return;
            }

            ulong one = 1;
            Interop.write(_wake, (byte*)&one, sizeof(ulong));
        }
    }

    public override string ToString() => new StringBuilder().Append(_port).Append(" -> ").Append(SlavePath).ToString();
}
