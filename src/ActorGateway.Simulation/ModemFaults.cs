namespace ActorGateway.Simulation;

/// <summary>How a dial attempt ends: the V.250 Table 1 result codes a modem gives for ATD.</summary>
public enum DialOutcome
{
    Connect,
    NoCarrier,
    Busy,
    NoAnswer,
    NoDialtone,
    Error,
}

/// <summary>What the network does with the modem's registration attempt (27.007 §7.2 <c>&lt;stat&gt;</c>).</summary>
public enum RegistrationOutcome
{
    /// <summary>Registered, home network (stat 1).</summary>
    Home,

    /// <summary>Registered, roaming (stat 5).</summary>
    Roaming,

    /// <summary>Registration denied (stat 3).</summary>
    Denied,

    /// <summary>Searching forever (stat 2).</summary>
    NeverRegisters,
}

/// <summary>27.007 §7.2 registration status values.</summary>
public enum RegistrationStatus
{
    NotSearching = 0,
    Home = 1,
    Searching = 2,
    Denied = 3,
    Unknown = 4,
    Roaming = 5,
}

/// <summary>Where the modem is with a data call.</summary>
public enum CallState
{
    Idle,
    Dialing,
    Connected,
}

/// <summary>What ended the last call that was up (CONNECT had been sent).</summary>
public enum CallEnd
{
    /// <summary><c>ATH</c> (V.250 §6.3.5), sent in command state or after the <c>+++</c> escape.</summary>
    Hangup,

    /// <summary><c>ATZ</c> (V.250 §6.1.1).</summary>
    Reset,

    /// <summary>DTR dropped with <c>&amp;D2</c> (V.250 §6.2.9): on a pty, the last close of the tty.</summary>
    DtrDropped,

    /// <summary>The network dropped the carrier (NO CARRIER).</summary>
    Network,
}

/// <summary>V.250 §5.1 states of the DTE-DCE line on one port.</summary>
public enum PortMode
{
    /// <summary>Command state: bytes are AT command lines.</summary>
    Command,

    /// <summary>Online data state: bytes are the call's payload (PPP).</summary>
    OnlineData,

    /// <summary>Online command state: the call is up but bytes are commands again (after <c>+++</c>).</summary>
    OnlineCommand,
}

/// <summary>Noise a flaky USB serial line adds: random bytes and NUL runs before responses, reproducible from a seed.</summary>
/// <param name="Seed">Seed for the noise; the same seed gives the same bytes.</param>
/// <param name="MaxNoiseBytes">At most this many random bytes per burst (CR and LF are left out so lines stay framed).</param>
/// <param name="MaxNulRun">At most this many NULs in a run.</param>
/// <param name="Probability">Chance that a response or URC is preceded by a burst.</param>
public sealed record GarbageOptions(int Seed, int MaxNoiseBytes = 8, int MaxNulRun = 16, double Probability = 1.0);

/// <summary>
/// Faults a simulated device shows; set at construction or at run time through <see cref="ModemSimulator.Faults"/>.
/// SIM PIN/PUK state is not here: it lives on the <see cref="SimCard"/>.
/// </summary>
public sealed record ModemFaults
{
    /// <summary>No faults.</summary>
    public static ModemFaults None { get; } = new();

    /// <summary>The AT ports take bytes and never answer (no echo, no result codes).</summary>
    public bool Silent { get; init; }

    /// <summary>Delay before each response (echo is still immediate, as a UART echoes).</summary>
    public TimeSpan ResponseDelay { get; init; }

    /// <summary>Extra delay between a response's information text and its final result code.</summary>
    public TimeSpan FinalResultDelay { get; init; }

    /// <summary>Line noise before responses and URCs, or null for a clean line.</summary>
    public GarbageOptions? Garbage { get; init; }

    /// <summary>The SIM is not detected (27.007 <c>+CME ERROR: 10</c>); the card keeps its counters.</summary>
    public bool SimAbsent { get; init; }

    /// <summary>What the network answers the registration attempt with.</summary>
    public RegistrationOutcome Registration { get; init; } = RegistrationOutcome.Home;

    /// <summary>The device drops off USB as soon as a command line containing this text arrives.</summary>
    public string? VanishOnCommand { get; init; }

    /// <summary>Outcomes of the next dials, in order; once used up, dials connect. Reading it shows what is left.</summary>
    public IReadOnlyList<DialOutcome> DialFailures { get; init; } = [];
}

/// <summary>One command line the host sent, stamped with the simulator's clock.</summary>
/// <param name="Timestamp">When the line's terminator arrived (from the injected <see cref="TimeProvider"/>).</param>
/// <param name="Port">The tty name, e.g. <c>ttyUSB0</c>.</param>
/// <param name="Line">The line without its terminator, as typed.</param>
public sealed record CommandLogEntry(DateTimeOffset Timestamp, string Port, string Line);
