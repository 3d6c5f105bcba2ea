namespace ActorGateway.Core.Ppp;

/// <summary>pppd's exit statuses, as documented in pppd(8) "EXIT STATUS".</summary>
public enum PppdExitCode
{
    Ok = 0,
    FatalError = 1,
    OptionError = 2,
    NotRoot = 3,
    NoKernelSupport = 4,
    UserRequest = 5,
    LockFailed = 6,
    OpenFailed = 7,
    ConnectFailed = 8,
    PtyCommandFailed = 9,
    NegotiationFailed = 10,
    PeerAuthFailed = 11,
    IdleTimeout = 12,
    ConnectTimeLimit = 13,
    Callback = 14,
    PeerDead = 15,
    Hangup = 16,
    Loopback = 17,
    InitFailed = 18,
    AuthToPeerFailed = 19,
}

/// <summary>What a pppd exit means to the gateway.</summary>
public static class PppdExit
{
    /// <summary>pppd(8)'s words for an exit status, with what to do where the user can act.</summary>
    public static string Describe(int code) => (PppdExitCode)code switch
    {
        PppdExitCode.Ok => "the link ended at the peer's request",
        PppdExitCode.FatalError => "a fatal error (a system call failed)",
        PppdExitCode.OptionError => "pppd rejected its options",
        PppdExitCode.NotRoot => "pppd needs root (it is not setuid-root and the gateway is not root)",
        PppdExitCode.NoKernelSupport =>
            "this kernel has no PPP support (/dev/ppp is missing: load the ppp_generic and ppp_async modules, or use a kernel built with CONFIG_PPP)",
        PppdExitCode.UserRequest => "pppd was told to stop (SIGINT, SIGTERM or SIGHUP)",
        PppdExitCode.LockFailed => "the serial port could not be locked",
        PppdExitCode.OpenFailed => "the serial port could not be opened",
        PppdExitCode.ConnectFailed => "the connect script failed",
        PppdExitCode.PtyCommandFailed => "the pty command could not be run",
        PppdExitCode.NegotiationFailed => "PPP negotiation failed (no network protocol came up)",
        PppdExitCode.PeerAuthFailed => "the peer failed to authenticate itself",
        PppdExitCode.IdleTimeout => "the link was idle too long",
        PppdExitCode.ConnectTimeLimit => "the connect time limit was reached",
        PppdExitCode.Callback => "callback was negotiated",
        PppdExitCode.PeerDead => "the peer stopped answering LCP echo requests",
        PppdExitCode.Hangup => "the modem hung up",
        PppdExitCode.Loopback => "serial loopback was detected (the modem echoes our own frames)",
        PppdExitCode.InitFailed => "the init script failed",
        PppdExitCode.AuthToPeerFailed => "the ISP refused our user name or password",
        _ => $"pppd exited with status {code}",
    };

    /// <summary>
    /// True when retrying cannot help until something outside the gateway changes (the kernel, the
    /// credentials, the options): such an exit is reported once, clearly, and retried slowly.
    /// </summary>
    public static bool NeedsOutsideChange(int code) => (PppdExitCode)code is PppdExitCode.NoKernelSupport
        or PppdExitCode.NotRoot or PppdExitCode.OptionError or PppdExitCode.AuthToPeerFailed;
}
