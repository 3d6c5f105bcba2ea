namespace ActorGateway.Simulation.At;

/// <summary>Final result codes: V.250 Table 1 (numeric value = the V0 code) plus 27.007's +CME ERROR and vendor errors.</summary>
internal enum FinalKind
{
    Ok = 0,
    Connect = 1,
    Ring = 2,
    NoCarrier = 3,
    Error = 4,
    NoDialtone = 6,
    Busy = 7,
    NoAnswer = 8,

    /// <summary>27.007 §9.2 <c>+CME ERROR: &lt;err&gt;</c> (plain ERROR while <c>+CMEE=0</c>).</summary>
    CmeError = 100,

    /// <summary>Huawei's <c>COMMAND NOT SUPPORT</c>.</summary>
    CommandNotSupport = 101,

    /// <summary>No final result now: the command (ATD) answers later.</summary>
    Deferred = 102,
}

/// <summary>A final result code, with the CME error number or the CONNECT text where they apply.</summary>
internal readonly record struct Final(FinalKind Kind, int CmeError = 0, string? Text = null)
{
    public static Final Ok => new(FinalKind.Ok);

    public static Final Error => new(FinalKind.Error);

    public static Final Deferred => new(FinalKind.Deferred);

    public static Final Cme(int error) => new(FinalKind.CmeError, error);

    /// <summary>The verbose text (V1) of the result code.</summary>
    public string VerboseText(int cmee) => Kind switch
    {
        FinalKind.Ok => "OK",
        FinalKind.Connect => Text ?? "CONNECT",
        FinalKind.Ring => "RING",
        FinalKind.NoCarrier => "NO CARRIER",
        FinalKind.Error => "ERROR",
        FinalKind.NoDialtone => "NO DIALTONE",
        FinalKind.Busy => "BUSY",
        FinalKind.NoAnswer => "NO ANSWER",
        FinalKind.CmeError when cmee == 1 => $"+CME ERROR: {CmeError}",
        FinalKind.CmeError when cmee == 2 => $"+CME ERROR: {CmeErrors.Text(CmeError)}",
        FinalKind.CmeError => "ERROR",
        FinalKind.CommandNotSupport => "COMMAND NOT SUPPORT",
        _ => "",
    };

    /// <summary>The numeric form (V0): the Table 1 digit, or the text when there is no digit for it.</summary>
    public string NumericText(int cmee) => Kind switch
    {
        FinalKind.CmeError when cmee == 0 => "4",
        FinalKind.CmeError => VerboseText(cmee),
        FinalKind.CommandNotSupport => "4",
        _ => ((int)Kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>27.007 §9.2.1 general error codes the simulator uses.</summary>
internal static class CmeErrors
{
    public const int PhoneFailure = 0;
    public const int OperationNotAllowed = 3;
    public const int OperationNotSupported = 4;
    public const int SimNotInserted = 10;
    public const int SimPinRequired = 11;
    public const int SimPukRequired = 12;
    public const int SimFailure = 13;
    public const int IncorrectPassword = 16;
    public const int NoNetworkService = 30;
    public const int IncorrectParameters = 50;
    public const int Unknown = 100;

    public static string Text(int code) => code switch
    {
        PhoneFailure => "phone failure",
        OperationNotAllowed => "operation not allowed",
        OperationNotSupported => "operation not supported",
        SimNotInserted => "SIM not inserted",
        SimPinRequired => "SIM PIN required",
        SimPukRequired => "SIM PUK required",
        SimFailure => "SIM failure",
        IncorrectPassword => "incorrect password",
        NoNetworkService => "no network service",
        IncorrectParameters => "incorrect parameters",
        _ => "unknown",
    };
}
