using System.Globalization;

namespace ActorGateway.Core.At;

/// <summary>
/// Recognises final result codes: the verbose ones of ITU-T V.250 §5.7.2 table 1 (and their numeric
/// forms, for a modem left in <c>V0</c>), 27.007's <c>+CME ERROR</c> and 27.005's <c>+CMS ERROR</c>,
/// plus vendor spellings that real modems use in place of <c>ERROR</c>.
/// </summary>
public static class ResultCodes
{
    // V.250 table 1: numeric result codes and their verbose equivalents.
    private static readonly Dictionary<string, AtOutcome> Numeric = new()
    {
        ["0"] = AtOutcome.Ok,
        ["1"] = AtOutcome.Connect,
        ["3"] = AtOutcome.NoCarrier,
        ["4"] = AtOutcome.Error,
        ["6"] = AtOutcome.NoDialtone,
        ["7"] = AtOutcome.Busy,
        ["8"] = AtOutcome.NoAnswer,
    };

    // Vendor firmware answers these instead of ERROR (Huawei, ZTE); ModemManager treats them as errors too.
    private static readonly string[] VendorErrors = ["COMMAND NOT SUPPORT", "TOO MANY PARAMETERS"];

    /// <summary>
    /// Parses <paramref name="line"/> as a final result code. Numeric codes are only accepted when
    /// <paramref name="acceptNumeric"/> is set, because a bare digit is also a valid information line.
    /// </summary>
    public static AtResponse? TryParse(string line, IReadOnlyList<string> informationLines, bool acceptNumeric)
    {
        switch (line.ToUpperInvariant())
        {
            case "OK":
                return new AtResponse(AtOutcome.Ok, informationLines);
            case "ERROR":
                return new AtResponse(AtOutcome.Error, informationLines);
            case "NO CARRIER":
                return new AtResponse(AtOutcome.NoCarrier, informationLines);
            case "BUSY":
                return new AtResponse(AtOutcome.Busy, informationLines);
            case "NO ANSWER":
                return new AtResponse(AtOutcome.NoAnswer, informationLines);
            case "NO DIALTONE" or "NO DIAL TONE":
                return new AtResponse(AtOutcome.NoDialtone, informationLines);
            case "CONNECT":
                return new AtResponse(AtOutcome.Connect, informationLines);
        }

        if (line.StartsWith("CONNECT ", StringComparison.OrdinalIgnoreCase))
        {
            // V.250 §6.3.1: CONNECT may carry the speed or other text, e.g. "CONNECT 7200000".
            return new AtResponse(AtOutcome.Connect, informationLines, Detail: line[8..].Trim());
        }

        if (line.StartsWith("+CME ERROR:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = line[11..].Trim();
            var code = int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : CmeErrors.FromText(rest);
            return new AtResponse(AtOutcome.CmeError, informationLines, code, rest);
        }

        if (line.StartsWith("+CMS ERROR:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = line[11..].Trim();
            int? code = int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            return new AtResponse(AtOutcome.CmsError, informationLines, code, rest);
        }

        foreach (var vendor in VendorErrors)
        {
            if (string.Equals(line, vendor, StringComparison.OrdinalIgnoreCase))
            {
                return new AtResponse(AtOutcome.Error, informationLines, Detail: vendor);
            }
        }

        if (acceptNumeric && Numeric.TryGetValue(line, out var outcome))
        {
            return new AtResponse(outcome, informationLines);
        }

        return null;
    }
}
