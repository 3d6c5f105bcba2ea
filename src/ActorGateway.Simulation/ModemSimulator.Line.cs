using System.Text;
using ActorGateway.Simulation.At;

namespace ActorGateway.Simulation;

/// <summary>The line discipline: echo, command line assembly, responses, URCs, online data and the +++ escape.</summary>
public sealed partial class ModemSimulator
{
    private const int MaxLineLength = 1024;

    private void ReceiveCore(SimulatedPort port, ReadOnlySpan<byte> data)
    {
        if (port.Role is not (PortRole.At or PortRole.Modem))
        {
            // The silent and diagnostic ttys never answer, but what the host typed at them is still logged.
            LogOnly(port, data);
            return;
        }

        for (var i = 0; i < data.Length; i++)
        {
            if (!_present)
            {
                return;
            }

            if (port.ModeState == PortMode.OnlineData)
            {
                ReceiveData(port, data[i..]);
                return;
            }

            var b = data[i];
            if (port.Busy)
            {
                if (_call == CallState.Dialing && _callPort == port)
                {
                    // V.250 §6.3.1: any character from the DTE while dialling aborts the attempt (NO CARRIER).
                    AbortDial(port);
                    continue;
                }

                // A response is still on its way; the modem works the typed-ahead input off afterwards.
                port.Backlog.Add(b);
                continue;
            }

            if (_faults.Silent)
            {
                LogOnly(port, data.Slice(i, 1));
                continue;
            }

            CommandChar(port, b);
        }
    }

    private void LogOnly(SimulatedPort port, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b == port.Settings.LineTerminator)
            {
                Log(port, port.Line.ToString());
                port.Line.Clear();
            }
            else if (b >= 0x20 && port.Line.Length < MaxLineLength)
            {
                port.Line.Append((char)b);
            }
        }
    }

    /// <summary>One character in command state (V.250 §5.2.1–§5.2.4, echo per §6.2.4).</summary>
    private void CommandChar(SimulatedPort port, byte b)
    {
        var s = port.Settings;
        if (b == s.LineTerminator)
        {
            Echo(port, b);
            var line = port.Line.ToString();
            port.Line.Clear();
            port.EchoedInLine = 0;
            ExecuteLine(port, line, repeated: false);
            return;
        }

        if (b == s.Backspace)
        {
            // V.250 §5.2.2: S5 deletes the previous character of the line.
            if (port.Line.Length > 0)
            {
                port.Line.Length--;
                port.EchoedInLine = Math.Max(0, port.EchoedInLine - 1);
            }

            Echo(port, b);
            return;
        }

        if (b == '/' && port.Line.ToString() is "A" or "a")
        {
            // V.250 §5.2.4: "A/" repeats the previous command line at once, without a terminator.
            Echo(port, b);
            port.Line.Clear();
            port.EchoedInLine = 0;
            Log(port, "A/");
            if (port.LastLine is { } last)
            {
                ExecuteLine(port, last, repeated: true);
            }

            return;
        }

        if (b < 0x20)
        {
            // Other control characters (the LF of a CR LF host) are ignored, but a UART echo still returns them.
            Echo(port, b);
            return;
        }

        if (port.Line.Length >= MaxLineLength)
        {
            return;
        }

        port.Line.Append((char)b);

        // Firmware quirk: the Huawei E367 echoes only the start of a long line (seed guide: "ATQ0 V1 E1 S0=0 &C1 &D2 +F").
        if (Profile.EchoLimit is not { } limit || port.EchoedInLine < limit)
        {
            Echo(port, b);
            port.EchoedInLine++;
        }
    }

    private void Echo(SimulatedPort port, byte b)
    {
        if (port.Settings.Echo)
        {
            Emit(port, [b]);
        }
    }

    private void ExecuteLine(SimulatedPort port, string line, bool repeated)
    {
        if (!repeated)
        {
            Log(port, line);
        }

        if (_faults.VanishOnCommand is { Length: > 0 } trigger && line.Contains(trigger, StringComparison.OrdinalIgnoreCase))
        {
            // The device drops off the bus while the command is in flight: no response ever comes.
            VanishCore();
            return;
        }

        // V.250 §5.2.1: everything before the "AT" (or "at") prefix is ignored; a line without one gets no answer.
        var prefix = line.IndexOf("AT", StringComparison.Ordinal);
        var lower = line.IndexOf("at", StringComparison.Ordinal);
        if (prefix < 0 || (lower >= 0 && lower < prefix))
        {
            prefix = lower;
        }

        if (prefix < 0)
        {
            return;
        }

        port.LastLine = line[prefix..];
        var ctx = new LineContext(port);
        var final = Final.Ok;
        var commands = CommandLineParser.Parse(line[(prefix + 2)..]);
        if (commands is null)
        {
            final = Final.Error;
        }
        else
        {
            // V.250 §5.6: commands run left to right; the first error stops the line and answers ERROR.
            foreach (var command in commands)
            {
                if (Execute(ctx, command) is { } stop)
                {
                    final = stop;
                    break;
                }
            }
        }

        Respond(ctx, final);
    }

    /// <summary>Sends information text then the final result, honouring the slow-answer faults.</summary>
    private void Respond(LineContext ctx, Final final)
    {
        var port = ctx.Port;
        var incarnation = _incarnation;
        port.Busy = true;
        var info = FormatInformation(port, ctx.Info);

        void SendFinal()
        {
            if (!_present || incarnation != _incarnation)
            {
                return;
            }

            if (final.Kind == FinalKind.Deferred)
            {
                ctx.Deferred?.Invoke();
                return;
            }

            EmitFinal(port, final);
            ctx.After?.Invoke();
            FinishCommand(port);
        }

        void SendInformation()
        {
            if (!_present || incarnation != _incarnation)
            {
                return;
            }

            if (info.Length > 0)
            {
                EmitNoisy(port, info);
            }

            if (_faults.FinalResultDelay > TimeSpan.Zero && final.Kind != FinalKind.Deferred)
            {
                Schedule(_faults.FinalResultDelay, SendFinal);
            }
            else
            {
                SendFinal();
            }
        }

        Schedule(_faults.ResponseDelay, SendInformation);
    }

    /// <summary>A final result code; URCs queued for "the middle of the next response" go out just before it.</summary>
    private void EmitFinal(SimulatedPort port, Final final)
    {
        foreach (var urc in port.MidResponseUrcs)
        {
            EmitUnsolicited(port, urc, periodic: false);
        }

        port.MidResponseUrcs.Clear();
        var s = port.Settings;
        if (s.Quiet || _faults.Silent)
        {
            // V.250 §6.2.5: Q1 suppresses result codes (information text still goes out).
            return;
        }

        var cr = (char)s.LineTerminator;
        var lf = (char)s.LineFeed;

        // V.250 §5.7.1: verbose result codes are <CR><LF>text<CR><LF>, numeric ones are the digit and <CR>.
        EmitNoisy(port, s.Verbose ? $"{cr}{lf}{final.VerboseText(s.Cmee)}{cr}{lf}" : $"{final.NumericText(s.Cmee)}{cr}");
    }

    private void FinishCommand(SimulatedPort port)
    {
        port.Busy = false;
        if (!_present || port.Backlog.Count == 0)
        {
            return;
        }

        var typedAhead = port.Backlog.ToArray();
        port.Backlog.Clear();
        ReceiveCore(port, typedAhead);
    }

    /// <summary>
    /// V.250 §5.7.1 information text: <c>&lt;CR&gt;&lt;LF&gt;text&lt;CR&gt;&lt;LF&gt;</c> in verbose mode, <c>text&lt;CR&gt;&lt;LF&gt;</c>
    /// in numeric mode. Several lines of one command are separated by one <c>&lt;CR&gt;&lt;LF&gt;</c> (27.007 §4.1 examples).
    /// </summary>
    private static string FormatInformation(SimulatedPort port, List<IReadOnlyList<string>> blocks)
    {
        var s = port.Settings;
        var newline = $"{(char)s.LineTerminator}{(char)s.LineFeed}";
        var sb = new StringBuilder();
        foreach (var block in blocks.Where(b => b.Count > 0))
        {
            if (s.Verbose)
            {
                sb.Append(newline).AppendJoin(newline, block).Append(newline);
            }
            else
            {
                foreach (var line in block)
                {
                    sb.Append(line).Append(newline);
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// An unsolicited result code. Nobody reads a closed tty, so it is lost; in online data state it is held and
    /// delivered when the line returns to command state (27.007 §8.10 <c>+CMER</c> buffering), except periodic
    /// reports, which are simply skipped.
    /// </summary>
    private void EmitUnsolicited(SimulatedPort port, string text, bool periodic)
    {
        if (!_present || port.OpenCount == 0 || port.Role != PortRole.At || _faults.Silent)
        {
            return;
        }

        if (port.ModeState == PortMode.OnlineData)
        {
            if (!periodic)
            {
                port.HeldUrcs.Add(text);
            }

            return;
        }

        var s = port.Settings;
        if (s.Quiet)
        {
            return;
        }

        var cr = (char)s.LineTerminator;
        var lf = (char)s.LineFeed;
        if (text == "RING" && !s.Verbose)
        {
            EmitNoisy(port, $"2{cr}");
            return;
        }

        EmitNoisy(port, s.Verbose ? $"{cr}{lf}{text}{cr}{lf}" : $"{text}{cr}{lf}");
    }

    private void EmitToAtPorts(string text, bool periodic)
    {
        foreach (var port in _ports.Where(p => p.Role == PortRole.At))
        {
            EmitUnsolicited(port, text, periodic);
        }
    }

    private void FlushHeldUrcs(SimulatedPort port)
    {
        var held = port.HeldUrcs.ToArray();
        port.HeldUrcs.Clear();
        foreach (var urc in held)
        {
            EmitUnsolicited(port, urc, periodic: false);
        }
    }

    /// <summary>Text towards the host, preceded by line noise when the garbage fault is on.</summary>
    private void EmitNoisy(SimulatedPort port, string text)
    {
        if (_noise is not null && _faults.Garbage is { } garbage && _noise.NextDouble() < garbage.Probability)
        {
            var noise = new List<byte>();
            var count = _noise.Next(1, Math.Max(1, garbage.MaxNoiseBytes) + 1);
            for (var i = 0; i < count; i++)
            {
                var b = (byte)_noise.Next(0, 256);

                // Keep CR and LF out so the noise never forges line framing; flip the top bit instead.
                noise.Add(b is (byte)'\r' or (byte)'\n' ? (byte)(b | 0x80) : b);
            }

            if (garbage.MaxNulRun > 0 && _noise.Next(2) == 0)
            {
                noise.AddRange(new byte[_noise.Next(1, garbage.MaxNulRun + 1)]);
            }

            Emit(port, noise.ToArray());
        }

        Emit(port, Encoding.Latin1.GetBytes(text));
    }

    private void Emit(SimulatedPort port, ReadOnlySpan<byte> bytes)
    {
        if (!_present || port.OpenCount == 0 || bytes.IsEmpty)
        {
            // A closed tty drops what the device sends, as the kernel does when no one has it open.
            return;
        }

        port.EnqueueOutput(bytes);
        _changed.Add(port);
    }

    /// <summary>A binary frame on the DIAG tty: random payload ending in the HDLC flag 0x7E (Qualcomm DIAG framing).</summary>
    private void EmitDiagnosticFrame(SimulatedPort port)
    {
        if (port.OpenCount == 0 || port.DiagnosticNoise is not { } rng)
        {
            return;
        }

        var frame = new byte[rng.Next(6, 40)];
        rng.NextBytes(frame);
        for (var i = 0; i < frame.Length - 1; i++)
        {
            if (frame[i] == 0x7E)
            {
                frame[i] = 0x7D;
            }
        }

        frame[^1] = 0x7E;
        Emit(port, frame);
    }

    /// <summary>Online data state: bytes are payload; watch for the +++ escape with its guard times.</summary>
    private void ReceiveData(SimulatedPort port, ReadOnlySpan<byte> data)
    {
        port.RecordData(data);
        var s = port.Settings;
        var guard = s.EscapeGuardTime;
        var now = _time.GetUtcNow();
        foreach (var b in data)
        {
            // Escape sequence (Hayes convention, documented for phones in the Nokia D211 manual §8.2.5): a pause of
            // at least S12 before the first S2 character, three of them less than S12 apart, and a pause of S12 after.
            var pending = port.EscapeTimer;
            if (pending is not null)
            {
                // Anything after the third '+' within the guard time makes it data after all.
                var timer = pending;
                Cancel(ref timer);
                port.EscapeTimer = null;
                port.EscapeCount = 0;
            }
            else if (guard > TimeSpan.Zero && b == s.EscapeCharacter)
            {
                if (port.EscapeCount == 0)
                {
                    port.EscapeCount = now - port.LastDataAt >= guard ? 1 : 0;
                }
                else if (now - port.LastEscapeCharAt < guard)
                {
                    port.EscapeCount++;
                }
                else
                {
                    port.EscapeCount = 0;
                }

                port.LastEscapeCharAt = now;
                if (port.EscapeCount == 3)
                {
                    port.EscapeTimer = Schedule(guard, () => CompleteEscape(port));
                }
            }
            else
            {
                port.EscapeCount = 0;
            }

            port.LastDataAt = now;
        }
    }

    private void CompleteEscape(SimulatedPort port)
    {
        port.EscapeTimer = null;
        if (port.ModeState != PortMode.OnlineData || port.EscapeCount != 3)
        {
            return;
        }

        port.EscapeCount = 0;
        port.ModeState = PortMode.OnlineCommand;
        _changed.Add(port);
        EmitFinal(port, Final.Ok);
        FlushHeldUrcs(port);
    }

    private void EnterOnlineData(SimulatedPort port)
    {
        port.ModeState = PortMode.OnlineData;
        port.CarrierState = true;
        port.LastDataAt = _time.GetUtcNow();
        port.EscapeCount = 0;
        _changed.Add(port);
    }

    /// <summary>DTR went from on to off (V.250 §6.2.9 &amp;D; the Hayes manual: hang up, then OK, idle in command state).</summary>
    private void DtrDropped(SimulatedPort port)
    {
        switch (port.Settings.DtrMode)
        {
            case 1 when port.ModeState == PortMode.OnlineData:
                port.ModeState = PortMode.OnlineCommand;
                _changed.Add(port);
                EmitFinal(port, Final.Ok);
                FlushHeldUrcs(port);
                break;
            case 2 when _callPort == port:
                var wasDialing = _call == CallState.Dialing;
                EndCall(CallEnd.DtrDropped);
                EmitFinal(port, Final.Ok);
                FlushHeldUrcs(port);
                if (wasDialing)
                {
                    FinishCommand(port);
                }

                break;
        }
    }
}
