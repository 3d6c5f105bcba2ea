using ActorGateway.Core.Io;

namespace ActorGateway.Core.Modem;

/// <summary>
/// Everything the gateway needs to bring one modem online, as data: the seed guide's wvdial.conf
/// (<c>Init1</c>, <c>Init2</c>, <c>Phone</c>, <c>Username</c>, <c>Password</c>, <c>Baud</c>) plus the SIM
/// PIN, the APN, flow control, timeouts and pppd options. The actors stay model-agnostic; a model's
/// quirks live in its profile.
/// </summary>
public sealed record ModemProfile
{
    /// <summary>The seed guide's init strings (wvdial <c>Init1</c>/<c>Init2</c>).</summary>
    public static readonly IReadOnlyList<string> SeedInit = ["ATZ", "ATQ0 V1 E1 S0=0 &C1 &D2 +FCLASS=0"];

    /// <summary>A name for logs, e.g. the profile's key in the configuration.</summary>
    public string Name { get; init; } = "default";

    /// <summary>Commands sent in order after the line answers <c>AT</c>; the first is usually <c>ATZ</c>.</summary>
    public IReadOnlyList<string> Init { get; init; } = SeedInit;

    /// <summary>The access point name for <c>AT+CGDCONT</c>; empty leaves the modem's context alone.</summary>
    public string Apn { get; init; } = string.Empty;

    /// <summary>PDP type for the context (27.007 §10.1.1): IP, IPV6 or IPV4V6.</summary>
    public string PdpType { get; init; } = "IP";

    /// <summary>The PDP context id used by <c>AT+CGDCONT</c>.</summary>
    public int ContextId { get; init; } = 1;

    /// <summary>What to dial (27.007 §10.2.1.1: <c>*99#</c> or <c>*99***&lt;cid&gt;#</c>).</summary>
    public string Number { get; init; } = "*99#";

    /// <summary>PPP user name; may be empty (no "Stupid Mode" workaround needed).</summary>
    public string Username { get; init; } = string.Empty;

    /// <summary>PPP password; may be empty. Never logged.</summary>
    public string Password { get; init; } = string.Empty;

    /// <summary>SIM PIN; empty when the SIM has none. Never logged; sent at most once per SIM and PIN.</summary>
    public string Pin { get; init; } = string.Empty;

    /// <summary>After the PIN is accepted, send <c>AT+CLCK="SC",0,"&lt;pin&gt;"</c> so it is never asked again.</summary>
    public bool DisablePinLock { get; init; }

    /// <summary>
    /// Send the PIN even when the SIM has only one try left. Off by default: a wrong last try locks the
    /// SIM behind its PUK, which nobody can enter on an unattended box.
    /// </summary>
    public bool AllowLastPinTry { get; init; }

    /// <summary>Line speed (the seed uses 460800 for the Nokia, 115200 for the Huawei).</summary>
    public int BaudRate { get; init; } = 115200;

    /// <summary>Flow control on the line and for pppd.</summary>
    public FlowControl FlowControl { get; init; } = FlowControl.RtsCts;

    /// <summary>
    /// True when the line has real modem control lines (DTR, DCD). False for ptys and three-wire
    /// serial: pppd then gets <c>local</c> instead of <c>modem</c>.
    /// </summary>
    public bool ModemControlLines { get; init; } = true;

    /// <summary>Prefixes of vendor URCs to recognise beyond the standard ones.</summary>
    public IReadOnlyList<string> ExtraUnsolicited { get; init; } = [];

    /// <summary>Timeouts of the AT conversation.</summary>
    public ModemTimeouts Timeouts { get; init; } = new();

    /// <summary>When to dial again after NO CARRIER, BUSY or a dropped call.</summary>
    public RedialPolicy Redial { get; init; } = new();

    /// <summary>Consecutive unanswered commands before the modem is reset with <c>AT+CFUN=1,1</c>.</summary>
    public int UnresponsiveAfter { get; init; } = 3;

    /// <summary>
    /// The least time between two <c>AT+CFUN=1,1</c> resets of one modem. Resetting hardware too eagerly breaks it
    /// (vintage_net_mobile holds resets apart for the same reason); a modem that hangs again sooner is escalated.
    /// </summary>
    public TimeSpan ModemResetHold { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>pppd settings.</summary>
    public PppOptions Ppp { get; init; } = new();
}

/// <summary>Timeouts of the AT conversation; <c>ATZ</c>, the PIN and dialing take longer than a query.</summary>
public sealed record ModemTimeouts
{
    /// <summary>An ordinary command.</summary>
    public TimeSpan Command { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The first <c>AT</c> of a conversation; short, and tried a few times.</summary>
    public TimeSpan Probe { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many <c>AT</c>s go unanswered before the modem counts as not answering.</summary>
    public int ProbeTries { get; init; } = 5;

    /// <summary>
    /// How long a modem may take to answer its first <c>AT</c> after its port appears: some boot for 20 s after
    /// power-on (a brown-out restarts them too). It only counts as not answering after both this and <see cref="ProbeTries"/>.
    /// </summary>
    public TimeSpan Boot { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>ATZ</c> and <c>AT+CFUN</c>: the modem resets.</summary>
    public TimeSpan Reset { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>AT+CPIN=…</c> and waiting for the SIM to become ready after it.</summary>
    public TimeSpan Pin { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary><c>ATD</c>: until <c>CONNECT</c> or a failure code.</summary>
    public TimeSpan Dial { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to wait for network registration before the session is restarted.</summary>
    public TimeSpan Registration { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How often registration is asked while waiting for it.</summary>
    public TimeSpan RegistrationPoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long pppd gets to open the tty at the hand-over.</summary>
    public TimeSpan Handover { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Redial backoff: start small, double, cap; start small again after a call that lasted.</summary>
public sealed record RedialPolicy
{
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A call connected at least this long resets the backoff.</summary>
    public TimeSpan ResetAfter { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>pppd options the gateway sets (pppd(8)).</summary>
public sealed record PppOptions
{
    /// <summary>The pppd program.</summary>
    public string Program { get; init; } = "/usr/sbin/pppd";

    /// <summary><c>lcp-echo-interval</c> in seconds: how often the link is checked.</summary>
    public int LcpEchoInterval { get; init; } = 10;

    /// <summary><c>lcp-echo-failure</c>: unanswered echoes before the link is declared dead.</summary>
    public int LcpEchoFailure { get; init; } = 3;

    /// <summary>Add a default route through the link (<c>defaultroute</c>).</summary>
    public bool DefaultRoute { get; init; } = true;

    /// <summary>Ask the peer for DNS servers (<c>usepeerdns</c>).</summary>
    public bool UsePeerDns { get; init; } = true;

    /// <summary>Turn on pppd's <c>debug</c> output.</summary>
    public bool Debug { get; init; }

    /// <summary>More pppd options, each list item one argument.</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];
}
