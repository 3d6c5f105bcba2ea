namespace ActorGateway.Simulation.At;

/// <summary>
/// The per-port settings ATZ and AT&amp;F restore: V.250 §6.2 factory defaults (E1, Q0, V1, &amp;C1, &amp;D2; S3=13, S4=10,
/// S5=8) and the 27.007 reporting switches that start off (<c>+CMEE=0</c>, <c>+CREG=0</c>, ...).
/// </summary>
internal sealed class AtSettings
{
    private readonly Dictionary<int, int> _registers = [];

    public AtSettings() => Reset();

    public bool Echo { get; set; }

    public bool Verbose { get; set; }

    public bool Quiet { get; set; }

    /// <summary>&amp;C: 1 = DCD follows the carrier (V.250 §6.2.8).</summary>
    public int CarrierDetectMode { get; set; }

    /// <summary>&amp;D: what an on-to-off DTR transition does (V.250 §6.2.9).</summary>
    public int DtrMode { get; set; }

    /// <summary>+CMEE (27.007 §9.1).</summary>
    public int Cmee { get; set; }

    /// <summary>+CREG n (27.007 §7.2).</summary>
    public int CregMode { get; set; }

    /// <summary>+CGREG n (27.007 §10.1.20).</summary>
    public int CgregMode { get; set; }

    /// <summary>+CEREG n (27.007 §10.1.22).</summary>
    public int CeregMode { get; set; }

    /// <summary>+COPS format (27.007 §7.3): 0 long, 1 short, 2 numeric.</summary>
    public int OperatorFormat { get; set; }

    public int this[int register]
    {
        get => _registers.GetValueOrDefault(register);
        set => _registers[register] = value;
    }

    /// <summary>S3, the command line terminator (V.250 §6.2.1).</summary>
    public byte LineTerminator => (byte)this[3];

    /// <summary>S4, the response formatting character (V.250 §6.2.2).</summary>
    public byte LineFeed => (byte)this[4];

    /// <summary>S5, command line editing (backspace, V.250 §6.2.3).</summary>
    public byte Backspace => (byte)this[5];

    /// <summary>S2, the escape character (Hayes convention; the Nokia D211 manual §8.2.3 documents it for phones).</summary>
    public byte EscapeCharacter => (byte)this[2];

    /// <summary>S12, the escape guard time in fiftieths of a second (default 50 = 1 s).</summary>
    public TimeSpan EscapeGuardTime => TimeSpan.FromMilliseconds(this[12] * 20);

    public void Reset()
    {
        Echo = true;
        Verbose = true;
        Quiet = false;
        CarrierDetectMode = 1;
        DtrMode = 2;
        Cmee = 0;
        CregMode = 0;
        CgregMode = 0;
        CeregMode = 0;
        OperatorFormat = 0;
        _registers.Clear();
        _registers[0] = 0;
        _registers[2] = '+';
        _registers[3] = '\r';
        _registers[4] = '\n';
        _registers[5] = '\b';
        _registers[6] = 2;
        _registers[7] = 50;
        _registers[8] = 2;
        _registers[10] = 14;
        _registers[12] = 50;
    }
}
