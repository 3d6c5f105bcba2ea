using System.Globalization;
using ActorGateway.Simulation.At;

namespace ActorGateway.Simulation;

/// <summary>Command handlers. Each returns null to go on with the line, or the final result that ends it.</summary>
public sealed partial class ModemSimulator
{
    private Final? Execute(LineContext ctx, AtCommand cmd)
    {
        if (cmd.IsExtended)
        {
            return Profile.Supports(cmd.Name) ? ExecuteExtended(ctx, cmd) : UnknownCommand();
        }

        var s = ctx.Port.Settings;
        switch (cmd.Name)
        {
            case "E": // V.250 §6.2.4
                return Flag(cmd, v => s.Echo = v);
            case "Q": // V.250 §6.2.5
                return Flag(cmd, v => s.Quiet = v);
            case "V": // V.250 §6.2.6
                return Flag(cmd, v => s.Verbose = v);
            case "X": // V.250 §6.2.7: result code selection; every level gives the codes we use.
                return cmd.Number is null or <= 4 ? null : Final.Error;
            case "L" or "M": // V.250 §6.3 monitor speaker loudness/mode: nothing to do on a radio.
                return cmd.Number is null or <= 3 ? null : Final.Error;
            case "T" or "P": // V.250 §6.3.2/§6.3.3: tone/pulse selection, accepted and ignored.
                return null;
            case "Z": // V.250 §6.1.1: back to the stored (here: factory) profile; a call in progress is hung up.
                if (cmd.Number is > 0)
                {
                    return Final.Error;
                }

                EndCall(CallEnd.Reset);
                s.Reset();
                return null;
            case "&F": // V.250 §6.1.2
                s.Reset();
                return null;
            case "&C": // V.250 §6.2.8
                return Number(cmd, 0, 1, v => s.CarrierDetectMode = v);
            case "&D": // V.250 §6.2.9
                return Number(cmd, 0, 2, v => s.DtrMode = v);
            case "&W": // Store profile (Hayes); accepted, the stored profile stays factory.
                return null;
            case "I": // V.250 §6.1.3: manufacturer-defined identification text.
                ctx.AddInfo(Profile.IdentityLines);
                return null;
            case "S": // V.250 §5.3.2: S-parameters; reads are three decimal digits.
                return SRegister(ctx, cmd);
            case "D": // V.250 §6.3.1, 27.007 §10.2.1.1
                return Dial(ctx, cmd.Arguments);
            case "H": // V.250 §6.3.5: hook control (on-hook).
                if (cmd.Number is > 0)
                {
                    return Final.Error;
                }

                EndCall(CallEnd.Hangup);
                return null;
            case "O": // V.250 §6.3.6: return to online data state.
                return ReturnToOnlineData(ctx);
            case "A": // V.250 §6.3.4: answer; there is never an incoming data call to answer.
                return new Final(FinalKind.NoCarrier);
            default:
                return Final.Error;
        }
    }

    private Final UnknownCommand() => Profile.UnknownCommand switch
    {
        UnknownCommandReply.CmeOperationNotSupported => Final.Cme(CmeErrors.OperationNotSupported),
        UnknownCommandReply.HuaweiCommandNotSupport => new Final(FinalKind.CommandNotSupport),
        _ => Final.Error,
    };

    private Final? ExecuteExtended(LineContext ctx, AtCommand cmd) => cmd.Name switch
    {
        "+CGMI" or "+GMI" => Identity(ctx, cmd, Profile.Manufacturer),
        "+CGMM" or "+GMM" => Identity(ctx, cmd, Profile.Model),
        "+CGMR" or "+GMR" => Identity(ctx, cmd, Profile.Revision),
        "+CGSN" or "+GSN" => Identity(ctx, cmd, Profile.Imei),
        "+GCAP" => Identity(ctx, cmd, $"+GCAP: {Profile.Capabilities}"),
        "+FCLASS" => Fclass(ctx, cmd),
        "+CMEE" => Cmee(ctx, cmd),
        "+CFUN" => Cfun(ctx, cmd),
        "+CPIN" => Cpin(ctx, cmd),
        "+CPINR" => Cpinr(ctx, cmd),
        "^CPIN" => HuaweiCpin(ctx, cmd),
        "+CLCK" => Clck(ctx, cmd),
        "+CIMI" => Cimi(ctx, cmd),
        "+CRSM" => Crsm(ctx, cmd),
        "^ICCID" => HuaweiIccid(ctx, cmd),
        "+CCID" => Ccid(ctx, cmd),
        "+CREG" => RegistrationCommand(ctx, cmd, "+CREG", s => s.CregMode, (s, v) => s.CregMode = v),
        "+CGREG" => RegistrationCommand(ctx, cmd, "+CGREG", s => s.CgregMode, (s, v) => s.CgregMode = v),
        "+CEREG" => RegistrationCommand(ctx, cmd, "+CEREG", s => s.CeregMode, (s, v) => s.CeregMode = v),
        "+CSQ" => Csq(ctx, cmd),
        "+COPS" => Cops(ctx, cmd),
        "+CGDCONT" => Cgdcont(ctx, cmd),
        "+CGATT" => Cgatt(ctx, cmd),
        "^CURC" => Curc(ctx, cmd),
        "^SYSINFO" => Sysinfo(ctx, cmd),
        _ => UnknownCommand(),
    };

    // ---- helpers ----

    private static Final? Flag(AtCommand cmd, Action<bool> set) => Number(cmd, 0, 1, v => set(v == 1));

    private static Final? Number(AtCommand cmd, int min, int max, Action<int> set)
    {
        var value = cmd.Number ?? 0;
        if (value < min || value > max)
        {
            return Final.Error;
        }

        set(value);
        return null;
    }

    private static bool TryInt(IReadOnlyList<string> args, int index, out int value)
    {
        value = 0;
        return index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static Final? Identity(LineContext ctx, AtCommand cmd, string text)
    {
        switch (cmd.Access)
        {
            case AtAccess.Action:
                ctx.AddInfo(text);
                return null;
            case AtAccess.Test:
                return null;
            default:
                return Final.Error;
        }
    }

    /// <summary>SIM checks in the order 27.007 §9.2.1 errors apply: absent, then PIN, then PUK.</summary>
    private Final? RequireSim(bool unlocked)
    {
        if (_faults.SimAbsent)
        {
            return Final.Cme(CmeErrors.SimNotInserted);
        }

        if (!unlocked)
        {
            return null;
        }

        return _sim.State switch
        {
            SimLockState.PinRequired => Final.Cme(CmeErrors.SimPinRequired),
            SimLockState.PukRequired => Final.Cme(CmeErrors.SimPukRequired),
            SimLockState.Blocked => Final.Cme(CmeErrors.SimFailure),
            _ => null,
        };
    }

    private static string Code(SimLockState state) => state switch
    {
        SimLockState.Ready => "READY",
        SimLockState.PinRequired => "SIM PIN",
        _ => "SIM PUK",
    };

    // ---- V.250 / T.31 ----

    private static Final? SRegister(LineContext ctx, AtCommand cmd)
    {
        var register = cmd.Number ?? 0;
        var s = ctx.Port.Settings;
        if (cmd.Access == AtAccess.Read)
        {
            ctx.AddInfo(s[register].ToString("D3", CultureInfo.InvariantCulture));
            return null;
        }

        if (!int.TryParse(cmd.Arguments, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
        {
            return Final.Error;
        }

        s[register] = value;
        return null;
    }

    private Final? ReturnToOnlineData(LineContext ctx)
    {
        var port = ctx.Port;
        if (_call != CallState.Connected || _callPort != port || port.ModeState != PortMode.OnlineCommand)
        {
            return new Final(FinalKind.NoCarrier);
        }

        ctx.After = () => EnterOnlineData(port);
        return new Final(FinalKind.Connect, Text: Profile.ConnectText);
    }

    /// <summary>+FCLASS (ITU-T T.31 service class selection): only class 0, data, exists here; the seed's init sets it.</summary>
    private static Final? Fclass(LineContext ctx, AtCommand cmd)
    {
        switch (cmd.Access)
        {
            case AtAccess.Set:
                return cmd.Arguments == "0" ? null : Final.Error;
            case AtAccess.Read:
                ctx.AddInfo("0");
                return null;
            case AtAccess.Test:
                ctx.AddInfo("(0)");
                return null;
            default:
                return Final.Error;
        }
    }

    // ---- 27.007 general ----

    /// <summary>+CMEE (27.007 §9.1).</summary>
    private static Final? Cmee(LineContext ctx, AtCommand cmd)
    {
        var s = ctx.Port.Settings;
        switch (cmd.Access)
        {
            case AtAccess.Set when int.TryParse(cmd.Arguments, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 2:
                s.Cmee = n;
                return null;
            case AtAccess.Action:
                s.Cmee = 0;
                return null;
            case AtAccess.Read:
                ctx.AddInfo($"+CMEE: {s.Cmee}");
                return null;
            case AtAccess.Test:
                ctx.AddInfo("+CMEE: (0-2)");
                return null;
            default:
                return Final.Error;
        }
    }

    /// <summary>+CFUN (27.007 §8.2): 0/4 take the radio down, 1 brings it up, <c>1,1</c> resets the device.</summary>
    private Final? Cfun(LineContext ctx, AtCommand cmd)
    {
        switch (cmd.Access)
        {
            case AtAccess.Read:
                ctx.AddInfo($"+CFUN: {_functionality}");
                return null;
            case AtAccess.Test:
                ctx.AddInfo("+CFUN: (0,1,4),(0-1)");
                return null;
            case AtAccess.Set:
                var args = CommandLineParser.SplitArguments(cmd.Arguments);
                if (!TryInt(args, 0, out var fun) || fun is not (0 or 1 or 4))
                {
                    return Final.Error;
                }

                var reset = 0;
                if (args.Count > 1 && (!TryInt(args, 1, out reset) || reset is not (0 or 1)))
                {
                    return Final.Error;
                }

                if (reset == 1)
                {
                    // OK first, then the device reboots: a USB device re-enumerates, so its ttys vanish for a while.
                    ctx.After = () => Schedule(Profile.ResetDelay, () => BrownoutCore(Profile.ResetOutage));
                    return null;
                }

                _functionality = fun;
                if (fun == 1)
                {
                    TryStartNetwork();
                }
                else
                {
                    StopNetwork();
                }

                return null;
            default:
                return Final.Error;
        }
    }

    // ---- SIM ----

    /// <summary>+CPIN (27.007 §8.3): a wrong PIN burns a try (error 16); the third leaves the card wanting its PUK.</summary>
    private Final? Cpin(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access == AtAccess.Test)
        {
            return null;
        }

        if (RequireSim(unlocked: false) is { } absent)
        {
            return absent;
        }

        var state = _sim.State;
        if (cmd.Access == AtAccess.Read)
        {
            if (state == SimLockState.Blocked)
            {
                return Final.Cme(CmeErrors.SimFailure);
            }

            ctx.AddInfo($"+CPIN: {Code(state)}");
            return null;
        }

        if (cmd.Access != AtAccess.Set)
        {
            return Final.Error;
        }

        var args = CommandLineParser.SplitArguments(cmd.Arguments);
        if (args.Count == 0 || args[0].Length == 0)
        {
            return Final.Error;
        }

        switch (state)
        {
            case SimLockState.Ready:
                // "If no PIN request is pending, ... +CME ERROR is returned" (27.007 §8.3).
                return Final.Cme(CmeErrors.OperationNotAllowed);
            case SimLockState.PinRequired:
                if (!_sim.TryPin(args[0]))
                {
                    return Final.Cme(CmeErrors.IncorrectPassword);
                }

                TryStartNetwork();
                return null;
            case SimLockState.PukRequired:
                if (args.Count < 2 || args[1].Length == 0)
                {
                    // The PUK alone is not enough: 27.007 wants <newpin> with it.
                    return Final.Cme(CmeErrors.SimPukRequired);
                }

                if (!_sim.TryPuk(args[0], args[1]))
                {
                    return Final.Cme(CmeErrors.IncorrectPassword);
                }

                TryStartNetwork();
                return null;
            default:
                return Final.Cme(CmeErrors.SimFailure);
        }
    }

    /// <summary>+CPINR (27.007 §8.65): <c>+CPINR: &lt;code&gt;,&lt;retries&gt;,&lt;default_retries&gt;</c>, filtered by a wildcard.</summary>
    private Final? Cpinr(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access == AtAccess.Test)
        {
            return null;
        }

        if (cmd.Access == AtAccess.Read)
        {
            return Final.Error;
        }

        if (RequireSim(unlocked: false) is { } absent)
        {
            return absent;
        }

        var selector = cmd.Access == AtAccess.Set ? CommandLineParser.SplitArguments(cmd.Arguments).FirstOrDefault() ?? "*" : "*";
        (string Code, int Retries, int Default)[] all =
        [
            ("SIM PIN", _sim.PinRetriesLeft, SimCard.PinAttempts),
            ("SIM PUK", _sim.PukRetriesLeft, SimCard.PukAttempts),
            ("SIM PIN2", SimCard.PinAttempts, SimCard.PinAttempts),
            ("SIM PUK2", SimCard.PukAttempts, SimCard.PukAttempts),
        ];
        var lines = all
            .Where(e => selector.EndsWith('*')
                ? e.Code.StartsWith(selector[..^1], StringComparison.OrdinalIgnoreCase)
                : e.Code.Equals(selector, StringComparison.OrdinalIgnoreCase))
            .Select(e => $"+CPINR: {e.Code},{e.Retries},{e.Default}")
            .ToArray();
        ctx.AddInfo(lines);
        return null;
    }

    /// <summary>
    /// Huawei <c>^CPIN: &lt;code&gt;,[&lt;times&gt;],&lt;puk_times&gt;,&lt;pin_times&gt;,&lt;puk2_times&gt;,&lt;pin2_times&gt;</c>, as
    /// ModemManager's huawei plugin parses it (load_unlock_retries_finish).
    /// </summary>
    private Final? HuaweiCpin(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access == AtAccess.Test)
        {
            return null;
        }

        if (cmd.Access != AtAccess.Read)
        {
            return Final.Error;
        }

        if (RequireSim(unlocked: false) is { } absent)
        {
            return absent;
        }

        var state = _sim.State;
        var times = state switch
        {
            SimLockState.PinRequired => _sim.PinRetriesLeft.ToString(CultureInfo.InvariantCulture),
            SimLockState.PukRequired or SimLockState.Blocked => _sim.PukRetriesLeft.ToString(CultureInfo.InvariantCulture),
            _ => "",
        };
        ctx.AddInfo($"^CPIN: {Code(state)},{times},{_sim.PukRetriesLeft},{_sim.PinRetriesLeft},{SimCard.PukAttempts},{SimCard.PinAttempts}");
        return null;
    }

    /// <summary>+CLCK="SC" (27.007 §7.4): query, disable or enable the PIN lock; a wrong PIN burns a try here too.</summary>
    private Final? Clck(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access == AtAccess.Test)
        {
            ctx.AddInfo("+CLCK: (\"SC\")");
            return null;
        }

        if (cmd.Access != AtAccess.Set)
        {
            return Final.Error;
        }

        var args = CommandLineParser.SplitArguments(cmd.Arguments);
        if (args.Count < 2 || !TryInt(args, 1, out var mode) || mode > 2)
        {
            return Final.Error;
        }

        if (!args[0].Equals("SC", StringComparison.OrdinalIgnoreCase))
        {
            return Final.Cme(CmeErrors.OperationNotSupported);
        }

        if (RequireSim(unlocked: true) is { } notReady)
        {
            return notReady;
        }

        if (mode == 2)
        {
            ctx.AddInfo($"+CLCK: {(_sim.PinEnabled ? 1 : 0)}");
            return null;
        }

        if (args.Count < 3 || !_sim.TryPin(args[2]))
        {
            if (_sim.State != SimLockState.Ready)
            {
                // The try that used up the PIN locks the card; the network goes with it.
                StopNetwork();
            }

            return Final.Cme(CmeErrors.IncorrectPassword);
        }

        _sim.SetPinEnabled(mode == 1);
        return null;
    }

    /// <summary>+CIMI (27.007 §5.6): the IMSI, readable only after the PIN.</summary>
    private Final? Cimi(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access == AtAccess.Test)
        {
            return null;
        }

        if (cmd.Access != AtAccess.Action)
        {
            return Final.Error;
        }

        if (RequireSim(unlocked: true) is { } notReady)
        {
            return notReady;
        }

        ctx.AddInfo(_sim.Imsi);
        return null;
    }

    /// <summary>
    /// +CRSM (27.007 §8.18), READ BINARY (176) of EF_ICCID (12258 = 0x2FE2): <c>+CRSM: 144,0,"&lt;swapped BCD&gt;"</c>.
    /// EF_ICCID is readable without the PIN (ETSI TS 102.221 §13.2, access ALW). Other files answer 6A82 (not found).
    /// </summary>
    private Final? Crsm(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access == AtAccess.Test)
        {
            return null;
        }

        if (cmd.Access != AtAccess.Set)
        {
            return Final.Error;
        }

        var args = CommandLineParser.SplitArguments(cmd.Arguments);
        if (!TryInt(args, 0, out var command))
        {
            return Final.Error;
        }

        if (RequireSim(unlocked: false) is { } absent)
        {
            return absent;
        }

        if (command == 176 && TryInt(args, 1, out var file) && file == 0x2FE2)
        {
            var length = TryInt(args, 4, out var p3) && p3 is > 0 and <= 10 ? p3 : 10;
            var hex = SimIdentifiers.ToSwappedBcd(_sim.Iccid)[..(2 * length)];
            ctx.AddInfo($"+CRSM: 144,0,\"{hex}\"");
            return null;
        }

        ctx.AddInfo("+CRSM: 106,130");
        return null;
    }

    /// <summary>Huawei <c>^ICCID: &lt;iccid&gt;</c>, in EF_ICCID's swapped-digit order (ModemManager mm-sim-huawei.c parses it).</summary>
    private Final? HuaweiIccid(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access is AtAccess.Test)
        {
            return null;
        }

        if (cmd.Access is not (AtAccess.Read or AtAccess.Action))
        {
            return Final.Error;
        }

        if (RequireSim(unlocked: false) is { } absent)
        {
            return absent;
        }

        ctx.AddInfo($"^ICCID: {SimIdentifiers.ToSwappedBcd(_sim.Iccid)}");
        return null;
    }

    /// <summary><c>+CCID: &lt;iccid&gt;</c>, a vendor extension many modules carry (ModemManager's u-blox plugin reads it).</summary>
    private Final? Ccid(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access is AtAccess.Test)
        {
            return null;
        }

        if (cmd.Access is not (AtAccess.Read or AtAccess.Action))
        {
            return Final.Error;
        }

        if (RequireSim(unlocked: false) is { } absent)
        {
            return absent;
        }

        ctx.AddInfo($"+CCID: {_sim.Iccid}");
        return null;
    }

    // ---- network ----

    private Final? RegistrationCommand(LineContext ctx, AtCommand cmd, string name, Func<AtSettings, int> get, Action<AtSettings, int> set)
    {
        var s = ctx.Port.Settings;
        switch (cmd.Access)
        {
            case AtAccess.Set when int.TryParse(cmd.Arguments, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 2:
                set(s, n);
                return null;
            case AtAccess.Read:
                ctx.AddInfo(RegistrationLine(name, get(s), withMode: true));
                return null;
            case AtAccess.Test:
                ctx.AddInfo($"{name}: (0-2)");
                return null;
            default:
                return Final.Error;
        }
    }

    /// <summary>+CSQ (27.007 §8.5): <c>&lt;rssi&gt;,&lt;ber&gt;</c>; 99 while nothing is known.</summary>
    private Final? Csq(LineContext ctx, AtCommand cmd)
    {
        switch (cmd.Access)
        {
            case AtAccess.Action:
                ctx.AddInfo($"+CSQ: {_rssi},99");
                return null;
            case AtAccess.Test:
                ctx.AddInfo("+CSQ: (0-31,99),(0-7,99)");
                return null;
            default:
                return Final.Error;
        }
    }

    /// <summary>+COPS (27.007 §7.3): <c>+COPS: &lt;mode&gt;[,&lt;format&gt;,&lt;oper&gt;,&lt;AcT&gt;]</c>; <c>=3,n</c> sets the format.</summary>
    private Final? Cops(LineContext ctx, AtCommand cmd)
    {
        var s = ctx.Port.Settings;
        switch (cmd.Access)
        {
            case AtAccess.Read:
                ctx.AddInfo(IsRegistered
                    ? $"+COPS: {_operatorSelection},{s.OperatorFormat},\"{OperatorName(s.OperatorFormat)}\",{(int)Profile.AccessTechnology}"
                    : $"+COPS: {_operatorSelection}");
                return null;
            case AtAccess.Test:
                ctx.AddInfo($"+COPS: (2,\"{Profile.OperatorLong}\",\"{Profile.OperatorShort}\",\"{Profile.OperatorNumeric}\",{(int)Profile.AccessTechnology}),,(0,1,2,3,4),(0,1,2)");
                return null;
            case AtAccess.Set:
                var args = CommandLineParser.SplitArguments(cmd.Arguments);
                if (!TryInt(args, 0, out var mode) || mode > 4)
                {
                    return Final.Error;
                }

                var format = s.OperatorFormat;
                if (args.Count > 1 && (!TryInt(args, 1, out format) || format > 2))
                {
                    return Final.Error;
                }

                if (mode == 3)
                {
                    s.OperatorFormat = format;
                    return null;
                }

                // Manual selection of a network that is not there fails; manual/automatic (4) falls back to automatic.
                if (mode == 1 && args.Count > 2 && args[2] != OperatorName(format))
                {
                    return Final.Cme(CmeErrors.NoNetworkService);
                }

                s.OperatorFormat = format;
                _operatorSelection = mode == 4 ? 0 : mode;
                if (mode == 2)
                {
                    StopNetwork();
                }
                else
                {
                    TryStartNetwork();
                }

                return null;
            default:
                return Final.Error;
        }
    }

    private string OperatorName(int format) => format switch
    {
        1 => Profile.OperatorShort,
        2 => Profile.OperatorNumeric,
        _ => Profile.OperatorLong,
    };

    /// <summary>+CGDCONT (27.007 §10.1.1): define, undefine (cid only) and list PDP contexts.</summary>
    private Final? Cgdcont(LineContext ctx, AtCommand cmd)
    {
        switch (cmd.Access)
        {
            case AtAccess.Read:
                ctx.AddInfo([.. _contexts.Values.Select(c => $"+CGDCONT: {c.Cid},\"{c.Type}\",\"{c.Apn}\",\"\",0,0")]);
                return null;
            case AtAccess.Test:
                ctx.AddInfo(
                    "+CGDCONT: (1-11),\"IP\",,,(0-2),(0-4)",
                    "+CGDCONT: (1-11),\"IPV6\",,,(0-2),(0-4)",
                    "+CGDCONT: (1-11),\"IPV4V6\",,,(0-2),(0-4)");
                return null;
            case AtAccess.Set:
                var args = CommandLineParser.SplitArguments(cmd.Arguments);
                if (!TryInt(args, 0, out var cid) || cid is < 1 or > 11)
                {
                    return Final.Error;
                }

                if (args.Count == 1)
                {
                    _contexts.Remove(cid);
                    return null;
                }

                var type = args[1].ToUpperInvariant();
                if (type is not ("IP" or "IPV6" or "IPV4V6" or "PPP"))
                {
                    return Final.Error;
                }

                _contexts[cid] = new PdpContext(cid, type, args.Count > 2 ? args[2] : "");
                return null;
            default:
                return Final.Error;
        }
    }

    /// <summary>+CGATT (27.007 §10.1.9): attached while registered.</summary>
    private Final? Cgatt(LineContext ctx, AtCommand cmd)
    {
        switch (cmd.Access)
        {
            case AtAccess.Read:
                ctx.AddInfo($"+CGATT: {(IsRegistered ? 1 : 0)}");
                return null;
            case AtAccess.Test:
                ctx.AddInfo("+CGATT: (0,1)");
                return null;
            case AtAccess.Set:
                return cmd.Arguments is "0" or "1" ? null : Final.Error;
            default:
                return Final.Error;
        }
    }

    /// <summary>Huawei ^CURC: 0 turns the periodic reports off (ModemManager sends <c>AT^CURC=0</c> on secondary ports).</summary>
    private Final? Curc(LineContext ctx, AtCommand cmd)
    {
        switch (cmd.Access)
        {
            case AtAccess.Set when cmd.Arguments is "0" or "1":
                _unsolicitedReports = cmd.Arguments == "1";
                return null;
            case AtAccess.Read:
                ctx.AddInfo($"^CURC: {(_unsolicitedReports ? 1 : 0)}");
                return null;
            case AtAccess.Test:
                ctx.AddInfo("^CURC: (0-1)");
                return null;
            default:
                return Final.Error;
        }
    }

    /// <summary>
    /// Huawei <c>^SYSINFO:&lt;srv_status&gt;,&lt;srv_domain&gt;,&lt;roam&gt;,&lt;sys_mode&gt;,&lt;sim_state&gt;[,&lt;lock&gt;,&lt;submode&gt;]</c>
    /// in the shapes ModemManager's test-modem-helpers-huawei.c parses.
    /// </summary>
    private Final? Sysinfo(LineContext ctx, AtCommand cmd)
    {
        if (cmd.Access != AtAccess.Action || Profile.Huawei is not { } huawei)
        {
            return Final.Error;
        }

        ctx.AddInfo(IsRegistered
            ? $"^SYSINFO:2,3,{(_registration == RegistrationStatus.Roaming ? 1 : 0)},{huawei.SysMode},{HuaweiSimState},,{huawei.SysSubmode}"
            : $"^SYSINFO:0,0,0,0,{HuaweiSimState}");
        return null;
    }
}
