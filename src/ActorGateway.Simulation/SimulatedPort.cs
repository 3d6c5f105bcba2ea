using System.Text;
using ActorGateway.Simulation.At;

namespace ActorGateway.Simulation;

/// <summary>
/// One tty of a <see cref="ModemSimulator"/>, as a face sees it: bytes written by the host go in through
/// <see cref="Receive(ReadOnlySpan{byte})"/>, output is drained with <see cref="Read"/> after <see cref="Changed"/> fires.
/// Opening raises DTR and closing the last handle drops it, like a tty with HUPCL. Thread-safe: all state is
/// guarded by the simulator's lock.
/// </summary>
public sealed class SimulatedPort
{
    // Output nobody drains is bounded like a tty's buffer: the oldest bytes go first.
    private const int MaxBufferedOutput = 1 << 20;
    private const int MaxRecordedData = 1 << 20;

    private readonly ModemSimulator _owner;
    private readonly Queue<byte[]> _output = new();
    private int _outputHead;
    private int _outputCount;
    private readonly List<byte> _dataFromHost = [];

    internal SimulatedPort(ModemSimulator owner, PortProfile profile, int index)
    {
        _owner = owner;
        Name = profile.Name;
        Role = profile.Role;
        Index = index;
    }

    /// <summary>Raised after output arrived or the port's presence or mode changed. Raised outside the simulator's lock.</summary>
    public event Action<SimulatedPort>? Changed;

    /// <summary>The tty name, e.g. <c>ttyUSB0</c>.</summary>
    public string Name { get; }

    /// <summary>What this tty does.</summary>
    public PortRole Role { get; }

    /// <summary>The USB interface index.</summary>
    public int Index { get; }

    /// <summary>The device this port belongs to.</summary>
    public ModemSimulator Simulator => _owner;

    /// <summary>Whether the device is plugged in.</summary>
    public bool IsPresent => _owner.IsPresent;

    /// <summary>Power-on count of the device; a handle opened in an earlier incarnation is dead.</summary>
    public int Incarnation => _owner.Incarnation;

    /// <summary>Whether any host handle is open.</summary>
    public bool IsOpen => _owner.Read(() => OpenCount > 0);

    /// <summary>The DTR line as the host drives it.</summary>
    public bool Dtr => _owner.Read(() => DtrState);

    /// <summary>DCD: high while a call is connected (with <c>&amp;C1</c>, V.250 §6.2.8).</summary>
    public bool CarrierDetect => _owner.Read(() => CarrierState || Settings.CarrierDetectMode == 0);

    /// <summary>Command, online data or online command state.</summary>
    public PortMode Mode => _owner.Read(() => ModeState);

    /// <summary>Whether output is waiting to be read.</summary>
    public bool HasOutput => _owner.Read(() => _outputCount > 0);

    /// <summary>Bytes the host sent in online data state during the current (or last) call, counted in full.</summary>
    public long DataBytesFromHost => _owner.Read(() => DataCount);

    /// <summary>The first MiB of what the host sent in online data state during the current (or last) call.</summary>
    public byte[] DataFromHost => _owner.Read(() => _dataFromHost.ToArray());

    /// <summary>The host opened the tty: DTR goes up. Returns the incarnation to pass to <see cref="Close"/>.</summary>
    /// <exception cref="IOException">The device is unplugged.</exception>
    public int Open() => _owner.OpenPort(this);

    /// <summary>The host closed a handle from <paramref name="incarnation"/>; the last close drops DTR.</summary>
    public void Close(int incarnation) => _owner.ClosePort(this, incarnation);

    /// <summary>Drives DTR explicitly (a face that can see the modem-control lines).</summary>
    public void SetDtr(bool high) => _owner.SetDtr(this, high);

    /// <summary>Bytes the host wrote.</summary>
    /// <exception cref="IOException">The device is unplugged.</exception>
    public void Receive(ReadOnlySpan<byte> data) => _owner.Receive(this, data);

    /// <summary>Convenience for tests: the host writes <paramref name="text"/> (Latin-1).</summary>
    public void Receive(string text) => Receive(Encoding.Latin1.GetBytes(text));

    /// <summary>Moves waiting output into <paramref name="buffer"/>; returns 0 when there is none.</summary>
    public int Read(Span<byte> buffer)
    {
        lock (_owner.Gate)
        {
            return DequeueOutput(buffer);
        }
    }

    /// <summary>Drains all waiting output as Latin-1 text (tests).</summary>
    public string ReadAllText()
    {
        var bytes = _owner.Read(() =>
        {
            var all = new byte[_outputCount];
            DequeueOutput(all);
            return all;
        });
        return Encoding.Latin1.GetString(bytes);
    }

    /// <summary>
    /// Sends bytes from the network side to the host (e.g. PPP frames from the peer). Only while the call is in online
    /// data state; returns false otherwise.
    /// </summary>
    public bool InjectData(ReadOnlySpan<byte> data) => _owner.InjectData(this, data);

    public override string ToString() => $"{_owner.Profile.Name}/{Name} ({Role})";

    // ---- state below is guarded by the simulator's lock ----

    internal AtSettings Settings { get; } = new();

    internal int OpenCount { get; set; }

    internal bool DtrState { get; set; }

    internal bool CarrierState { get; set; }

    internal PortMode ModeState { get; set; }

    /// <summary>A response is on its way: input waits in <see cref="Backlog"/> (or aborts a dial).</summary>
    internal bool Busy { get; set; }

    internal List<byte> Backlog { get; } = [];

    internal StringBuilder Line { get; } = new();

    internal int EchoedInLine { get; set; }

    internal string? LastLine { get; set; }

    /// <summary>URCs to put between the next response's information text and its final result code.</summary>
    internal List<string> MidResponseUrcs { get; } = [];

    /// <summary>URCs held while the line is in online data state (27.007 §8.10 +CMER buffering).</summary>
    internal List<string> HeldUrcs { get; } = [];

    internal long DataCount { get; set; }

    internal long InjectedCount { get; set; }

    // +++ escape detection (S2/S12).
    internal DateTimeOffset LastDataAt { get; set; }

    internal DateTimeOffset LastEscapeCharAt { get; set; }

    internal int EscapeCount { get; set; }

    internal SimTimer? EscapeTimer { get; set; }

    internal Random? DiagnosticNoise { get; set; }

    internal int OutputCount => _outputCount;

    internal void EnqueueOutput(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        _output.Enqueue(bytes.ToArray());
        _outputCount += bytes.Length;
        while (_outputCount > MaxBufferedOutput && _output.Count > 1)
        {
            var dropped = _output.Dequeue();
            _outputCount -= dropped.Length - _outputHead;
            _outputHead = 0;
        }
    }

    internal void ClearOutput()
    {
        _output.Clear();
        _outputHead = 0;
        _outputCount = 0;
    }

    internal void RecordData(ReadOnlySpan<byte> data)
    {
        DataCount += data.Length;
        var room = MaxRecordedData - _dataFromHost.Count;
        if (room > 0)
        {
            _dataFromHost.AddRange(data[..Math.Min(room, data.Length)]);
        }
    }

    /// <summary>A new call starts with fresh counters (they feed ^DSFLOWRPT and the tests' view of the PPP stream).</summary>
    internal void ResetDataRecording()
    {
        _dataFromHost.Clear();
        DataCount = 0;
        InjectedCount = 0;
    }

    internal void RaiseChanged() => Changed?.Invoke(this);

    /// <summary>Power loss: everything the modem held for this tty is gone.</summary>
    internal void ResetForPowerCycle()
    {
        ClearOutput();
        Settings.Reset();
        OpenCount = 0;
        DtrState = false;
        CarrierState = false;
        ModeState = PortMode.Command;
        Busy = false;
        Backlog.Clear();
        Line.Clear();
        EchoedInLine = 0;
        LastLine = null;
        MidResponseUrcs.Clear();
        HeldUrcs.Clear();
        EscapeCount = 0;
        EscapeTimer = null;
    }

    private int DequeueOutput(Span<byte> buffer)
    {
        var copied = 0;
        while (copied < buffer.Length && _output.Count > 0)
        {
            var chunk = _output.Peek();
            var n = Math.Min(chunk.Length - _outputHead, buffer.Length - copied);
            chunk.AsSpan(_outputHead, n).CopyTo(buffer[copied..]);
            copied += n;
            _outputHead += n;
            if (_outputHead == chunk.Length)
            {
                _output.Dequeue();
                _outputHead = 0;
            }
        }

        _outputCount -= copied;
        return copied;
    }
}
