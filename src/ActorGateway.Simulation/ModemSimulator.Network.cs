using System.Globalization;
using System.Text.RegularExpressions;
using ActorGateway.Simulation.At;

namespace ActorGateway.Simulation;

/// <summary>Network registration, signal, the packet data call and Huawei's reports.</summary>
public sealed partial class ModemSimulator
{
    private readonly SortedDictionary<int, PdpContext> _contexts = [];
    private int _functionality;
    private int _operatorSelection;
    private RegistrationStatus _registration;
    private SimTimer? _registrationTimer;
    private int _rssi;
    private int? _signal;
    private bool _unsolicitedReports;
    private SimTimer? _rssiTimer;
    private CallState _call;
    private SimulatedPort? _callPort;
    private SimTimer? _dialTimer;
    private SimTimer? _flowTimer;
    private DateTimeOffset _connectedAt;
    private CallEnd? _lastCallEnd;

    private bool IsRegistered => _registration is RegistrationStatus.Home or RegistrationStatus.Roaming;

    private bool SimReady => !_faults.SimAbsent && _sim.State == SimLockState.Ready;

    /// <summary>Huawei <c>^SIMST</c>/<c>^SYSINFO</c> sim_state: 1 valid, 255 absent.</summary>
    private int HuaweiSimState => _faults.SimAbsent ? 255 : 1;

    private void TryStartNetwork()
    {
        if (_present && _functionality == 1 && _operatorSelection != 2 && SimReady && !IsRegistered && _registrationTimer is null)
        {
            StartRegistration();
        }
    }

    /// <summary>Searching, then (after the profile's delay) the outcome the faults dictate.</summary>
    private void StartRegistration()
    {
        Cancel(ref _registrationTimer);
        SetRegistration(RegistrationStatus.Searching);
        var outcome = _faults.Registration;
        if (outcome == RegistrationOutcome.NeverRegisters)
        {
            return;
        }

        _registrationTimer = Schedule(Profile.RegistrationDelay, () =>
        {
            _registrationTimer = null;
            SetRegistration(outcome switch
            {
                RegistrationOutcome.Home => RegistrationStatus.Home,
                RegistrationOutcome.Roaming => RegistrationStatus.Roaming,
                _ => RegistrationStatus.Denied,
            });
        });
    }

    private void StopNetwork()
    {
        Cancel(ref _registrationTimer);
        SetRegistration(RegistrationStatus.NotSearching);
    }

    private void SetRegistration(RegistrationStatus status)
    {
        if (_registration == status)
        {
            return;
        }

        var wasRegistered = IsRegistered;
        _registration = status;
        _rssi = IsRegistered ? _signal ?? Profile.Rssi : 99;
        foreach (var port in _ports.Where(p => p.Role == PortRole.At))
        {
            ReportRegistration(port);
        }

        if (IsRegistered && !wasRegistered)
        {
            if (Profile.Huawei is { } huawei)
            {
                EmitHuaweiReport($"^MODE:{huawei.SysMode},{huawei.SysSubmode}", periodic: false);
                EmitHuaweiReport($"^RSSI:{_rssi}", periodic: false);
                if (huawei.RssiInterval is { } interval)
                {
                    _rssiTimer = SchedulePeriodic(interval, () => EmitHuaweiReport($"^RSSI:{_rssi}", periodic: true));
                }
            }
        }
        else if (!IsRegistered && wasRegistered)
        {
            Cancel(ref _rssiTimer);
            if (Profile.Huawei is not null)
            {
                EmitHuaweiReport("^MODE:0,0", periodic: false);
            }

            // Losing the network takes the data call with it.
            DropCarrierCore();
        }
    }

    /// <summary>+CREG/+CGREG/+CEREG URCs for the ports that enabled them (27.007 §7.2, §10.1.20, §10.1.22).</summary>
    private void ReportRegistration(SimulatedPort port)
    {
        var s = port.Settings;
        if (s.CregMode > 0 && Profile.Supports("+CREG"))
        {
            EmitUnsolicited(port, RegistrationLine("+CREG", s.CregMode, withMode: false), periodic: false);
        }

        if (s.CgregMode > 0 && Profile.Supports("+CGREG"))
        {
            EmitUnsolicited(port, RegistrationLine("+CGREG", s.CgregMode, withMode: false), periodic: false);
        }

        if (s.CeregMode > 0 && Profile.Supports("+CEREG"))
        {
            EmitUnsolicited(port, RegistrationLine("+CEREG", s.CeregMode, withMode: false), periodic: false);
        }
    }

    /// <summary>
    /// <c>+CREG: [&lt;n&gt;,]&lt;stat&gt;[,&lt;lac&gt;,&lt;ci&gt;,&lt;AcT&gt;]</c>: the read form carries n, the URC does not; the
    /// location appears with n=2 once registered (27.007 §7.2; +CEREG's tac has the same shape, §10.1.22).
    /// </summary>
    private string RegistrationLine(string name, int mode, bool withMode)
    {
        var stat = ((int)_registration).ToString(CultureInfo.InvariantCulture);
        var line = withMode ? $"{name}: {mode},{stat}" : $"{name}: {stat}";
        if (mode == 2 && IsRegistered)
        {
            line += $",\"{Profile.AreaCode}\",\"{Profile.CellId}\",{(int)Profile.AccessTechnology}";
        }

        return line;
    }

    /// <summary>A Huawei report on the AT ports, unless the host turned them off with <c>^CURC=0</c> (ModemManager does).</summary>
    private void EmitHuaweiReport(string text, bool periodic)
    {
        if (Profile.Huawei is not null && _unsolicitedReports)
        {
            EmitToAtPorts(text, periodic);
        }
    }

    /// <summary>The SIM-absent fault changed: the card left or came back.</summary>
    private void SimSlotChanged()
    {
        EmitHuaweiReport($"^SIMST:{HuaweiSimState}", periodic: false);
        if (_faults.SimAbsent)
        {
            StopNetwork();
        }
        else
        {
            _sim.PowerCycle();
            TryStartNetwork();
        }
    }

    // ---- the data call ----

    /// <summary>27.007 §10.2.1.1: <c>D*99[*[&lt;called_address&gt;][*[&lt;L2P&gt;][*[&lt;cid&gt;]]]]#</c> requests packet service.</summary>
    [GeneratedRegex(@"^\*99(\*[^*#]*(\*[^*#]*(\*(?<cid>\d+))?)?)?#$")]
    private static partial Regex PacketDialString();

    private Final Dial(LineContext ctx, string dialString)
    {
        var port = ctx.Port;
        if (_call != CallState.Idle)
        {
            return Final.Error;
        }

        if (dialString.EndsWith(';'))
        {
            // A trailing ';' makes it a voice call (V.250 §6.3.1); voice is not simulated.
            return Final.Error;
        }

        // V.250 §6.3.1.x dial modifiers (T, P, W, ',', '!', '@') mean nothing to a radio modem.
        var number = new string([.. dialString.Where(c => c is not ('T' or 'P' or 'W' or ',' or '!' or '@'))]);
        DialOutcome outcome;
        if (!PacketDialString().IsMatch(number))
        {
            // Circuit-switched data is not simulated: the "remote modem" never answers.
            outcome = DialOutcome.NoCarrier;
        }
        else if (!IsRegistered || !SimReady)
        {
            if (Profile.DialWithoutService == NoServiceDialReply.CmeNoNetworkService)
            {
                return Final.Cme(CmeErrors.NoNetworkService);
            }

            outcome = DialOutcome.NoCarrier;
        }
        else
        {
            outcome = _dialFailures.TryDequeue(out var failure) ? failure : DialOutcome.Connect;
        }

        _call = CallState.Dialing;
        _callPort = port;
        ctx.Deferred = () => _dialTimer = Schedule(Profile.ConnectDelay, () => CompleteDial(port, outcome));
        return Final.Deferred;
    }

    private void CompleteDial(SimulatedPort port, DialOutcome outcome)
    {
        _dialTimer = null;
        if (outcome == DialOutcome.Connect)
        {
            _call = CallState.Connected;
            _connectedAt = _time.GetUtcNow();
            port.ResetDataRecording();
            EmitFinal(port, new Final(FinalKind.Connect, Text: Profile.ConnectText));
            EnterOnlineData(port);
            if (Profile.Huawei is { } huawei)
            {
                _flowTimer = SchedulePeriodic(huawei.FlowReportInterval, FlowReport);
            }
        }
        else
        {
            _call = CallState.Idle;
            _callPort = null;
            EmitFinal(port, outcome switch
            {
                DialOutcome.Busy => new Final(FinalKind.Busy),
                DialOutcome.NoAnswer => new Final(FinalKind.NoAnswer),
                DialOutcome.NoDialtone => new Final(FinalKind.NoDialtone),
                DialOutcome.Error => Final.Error,
                _ => new Final(FinalKind.NoCarrier),
            });
        }

        FinishCommand(port);
    }

    private void AbortDial(SimulatedPort port)
    {
        Cancel(ref _dialTimer);
        _call = CallState.Idle;
        _callPort = null;
        EmitFinal(port, new Final(FinalKind.NoCarrier));
        FinishCommand(port);
    }

    /// <summary>Hangs up whatever call there is (for <paramref name="how"/>); the port goes back to command state.</summary>
    private void EndCall(CallEnd how)
    {
        Cancel(ref _dialTimer);
        Cancel(ref _flowTimer);
        if (_call == CallState.Connected)
        {
            _lastCallEnd = how;
        }

        var port = _callPort;
        _call = CallState.Idle;
        _callPort = null;
        if (port is null)
        {
            return;
        }

        var escape = port.EscapeTimer;
        Cancel(ref escape);
        port.EscapeTimer = null;
        port.EscapeCount = 0;
        port.CarrierState = false;
        port.ModeState = PortMode.Command;
        _changed.Add(port);
    }

    /// <summary>The network ends the call: NO CARRIER (V.250 Table 1) and command state.</summary>
    private void DropCarrierCore()
    {
        if (_callPort is not { } port)
        {
            return;
        }

        if (_call == CallState.Dialing)
        {
            AbortDial(port);
            return;
        }

        EndCall(CallEnd.Network);
        EmitFinal(port, new Final(FinalKind.NoCarrier));
        FlushHeldUrcs(port);
    }

    /// <summary>
    /// <c>^DSFLOWRPT:&lt;time&gt;,&lt;tx rate&gt;,&lt;rx rate&gt;,&lt;tx bytes&gt;,&lt;rx bytes&gt;,&lt;qos tx&gt;,&lt;qos rx&gt;</c>, all hex
    /// (Huawei AT command interface specification); a periodic report, so it is skipped while the line carries PPP.
    /// </summary>
    private void FlowReport()
    {
        if (_callPort is not { } port)
        {
            return;
        }

        var seconds = (long)(_time.GetUtcNow() - _connectedAt).TotalSeconds;
        EmitHuaweiReport(
            $"^DSFLOWRPT:{seconds:X8},00000000,00000000,{port.DataCount:X16},{port.InjectedCount:X16},0003E800,0003E800",
            periodic: true);
    }
}
