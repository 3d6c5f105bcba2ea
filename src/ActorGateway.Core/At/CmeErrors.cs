namespace ActorGateway.Core.At;

/// <summary>
/// The <c>+CME ERROR</c> codes of 3GPP TS 27.007 §9.2.1 that matter to a gateway, numeric and verbose.
/// With <c>+CMEE=2</c> a modem answers with the text; <see cref="FromText"/> maps it back to the number.
/// </summary>
public static class CmeErrors
{
    public const int PhoneFailure = 0;
    public const int OperationNotAllowed = 3;
    public const int OperationNotSupported = 4;
    public const int SimNotInserted = 10;
    public const int SimPinRequired = 11;
    public const int SimPukRequired = 12;
    public const int SimFailure = 13;
    public const int SimBusy = 14;
    public const int SimWrong = 15;
    public const int IncorrectPassword = 16;
    public const int SimPin2Required = 17;
    public const int SimPuk2Required = 18;
    public const int NoNetworkService = 30;
    public const int NetworkTimeout = 31;
    public const int NetworkNotAllowedEmergencyOnly = 32;
    public const int Unknown = 100;

    private static readonly Dictionary<int, string> Texts = new()
    {
        [PhoneFailure] = "phone failure",
        [OperationNotAllowed] = "operation not allowed",
        [OperationNotSupported] = "operation not supported",
        [SimNotInserted] = "SIM not inserted",
        [SimPinRequired] = "SIM PIN required",
        [SimPukRequired] = "SIM PUK required",
        [SimFailure] = "SIM failure",
        [SimBusy] = "SIM busy",
        [SimWrong] = "SIM wrong",
        [IncorrectPassword] = "incorrect password",
        [SimPin2Required] = "SIM PIN2 required",
        [SimPuk2Required] = "SIM PUK2 required",
        [NoNetworkService] = "no network service",
        [NetworkTimeout] = "network timeout",
        [NetworkNotAllowedEmergencyOnly] = "network not allowed - emergency calls only",
        [Unknown] = "unknown",
    };

    /// <summary>The spec's text for a code, or "error N".</summary>
    public static string Describe(int code) => Texts.TryGetValue(code, out var text) ? text : $"error {code}";

    /// <summary>The code for a verbose <c>+CME ERROR</c> text (case-insensitive), if it is one we know.</summary>
    public static int? FromText(string text)
    {
        foreach (var (code, known) in Texts)
        {
            if (string.Equals(known, text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return code;
            }
        }

        return null;
    }
}
