using System.Text;

namespace ActorGateway.Core.At;

/// <summary>The mode of an AT line: waiting, running a command, or carrying data after <c>CONNECT</c>.</summary>
public enum AtChatMode
{
    Idle,
    Busy,
    Data,
}

/// <summary>
/// The AT conversation as a pure core: <c>(state, input) → actions</c>, no I/O and no clock.
/// One command is in flight at a time; the rest wait in order. Lines are told apart as the echo of the
/// command (V.250 §6.2.4, possibly truncated as the Huawei E367 does in the seed guide), information
/// lines, the final result code, and unsolicited result codes, which may arrive between the lines of a
/// response and are never taken for part of it when they carry another command's prefix.
/// </summary>
public sealed class AtChat
{
    /// <summary>Commands waiting behind the one in flight; more are refused rather than queued forever.</summary>
    public const int MaxQueued = 64;

    /// <summary>Information lines kept for one response; a runaway answer is cut here.</summary>
    public const int MaxLinesPerResponse = 256;

    /// <summary>
    /// The timer id of the quiet period after a timeout. Command ids given to <see cref="Submit"/> must differ.
    /// </summary>
    public const long QuietTimerId = 0;

    /// <summary>
    /// After a command times out, the next one waits until the line has been quiet this long, so that
    /// a late answer to the old command is not taken for the answer to the new one.
    /// </summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// How often stray lines may restart the quiet period. A line that never stops talking (a chatty
    /// diagnostics stream, noise) must not hold the queued commands back forever.
    /// </summary>
    public const int MaxQuietRearms = 10;

    private readonly AtLineReader _reader = new();
    private readonly UnsolicitedCodes _urcs;
    private readonly Queue<(long Id, AtCommand Command)> _queue = new();
    private readonly List<string> _lines = [];
    private (long Id, AtCommand Command)? _inFlight;
    private bool _echoSeen;
    private string? _urcAwaitingSecondLine;
    private bool _quieting;
    private int _quietRearms;

    public AtChat(UnsolicitedCodes? urcs = null)
    {
        _urcs = urcs ?? UnsolicitedCodes.Default;
    }

    /// <summary>Idle, busy with a command, or in data mode.</summary>
    public AtChatMode Mode { get; private set; } = AtChatMode.Idle;

    /// <summary>The command in flight, if any.</summary>
    public AtCommand? InFlight => _inFlight?.Command;

    /// <summary>How many commands wait behind the one in flight.</summary>
    public int QueuedCount => _queue.Count;

    /// <summary>Queues a command; it is written at once when the line is idle.</summary>
    public IReadOnlyList<AtAction> Submit(long id, AtCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Mode == AtChatMode.Data)
        {
            return [new AtAction.Complete(id, command, AtResponse.Aborted("the line carries a data call"))];
        }

        if (_queue.Count >= MaxQueued)
        {
            return [new AtAction.Complete(id, command, AtResponse.Aborted($"more than {MaxQueued} commands waiting"))];
        }

        if (id == QuietTimerId)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"id {QuietTimerId} is the quiet timer's");
        }

        _queue.Enqueue((id, command));
        var actions = new List<AtAction>();
        if (_inFlight is null && !_quieting)
        {
            SendNext(actions);
        }

        return actions;
    }

    /// <summary>Takes bytes from the line.</summary>
    public IReadOnlyList<AtAction> Receive(ReadOnlySpan<byte> bytes)
    {
        if (Mode == AtChatMode.Data)
        {
            return [];
        }

        _reader.Append(bytes);
        var actions = new List<AtAction>();
        while (Mode != AtChatMode.Data && _reader.TryReadLine(out var line))
        {
            HandleLine(line, actions);
        }

        if (Mode == AtChatMode.Data)
        {
            actions.Add(new AtAction.EnteredDataMode(_reader.TakeRemainder()));
        }

        return actions;
    }

    /// <summary>The command timer fired. Stale ids (a command already answered) are ignored.</summary>
    public IReadOnlyList<AtAction> TimedOut(long id)
    {
        if (id == QuietTimerId && _quieting)
        {
            _quieting = false;
            var next = new List<AtAction>();
            SendNext(next);
            return next;
        }

        if (_inFlight is not { } current || current.Id != id)
        {
            return [];
        }

        var actions = new List<AtAction>
        {
            new AtAction.Complete(current.Id, current.Command, AtResponse.Timeout([.. _lines])),
        };
        _inFlight = null;
        _lines.Clear();
        _echoSeen = false;
        _quieting = true;
        _quietRearms = 0;
        Mode = AtChatMode.Busy;
        actions.Add(new AtAction.ArmTimeout(QuietTimerId, QuietPeriod));
        return actions;
    }

    /// <summary>
    /// The line is gone or handed over: every command in flight or waiting completes as aborted.
    /// The chat is idle afterwards, with nothing buffered.
    /// </summary>
    public IReadOnlyList<AtAction> Abort(string reason)
    {
        var actions = new List<AtAction>();
        if (_inFlight is { } current)
        {
            actions.Add(new AtAction.Complete(current.Id, current.Command, AtResponse.Aborted(reason)));
            _inFlight = null;
        }

        AbortQueued(reason, actions);
        actions.Add(AtAction.DisarmTimeout.Instance);
        _quieting = false;
        Reset();
        return actions;
    }

    /// <summary>The data call ended and the line is back in command mode (V.250 §5.2.3).</summary>
    public IReadOnlyList<AtAction> LeaveDataMode()
    {
        if (Mode != AtChatMode.Data)
        {
            return []; // a command in flight keeps its state; resetting here would orphan it
        }

        Reset();
        return [];
    }

    private void Reset()
    {
        _reader.Clear();
        _lines.Clear();
        _echoSeen = false;
        _urcAwaitingSecondLine = null;
        Mode = AtChatMode.Idle;
    }

    private void HandleLine(AtLine line, List<AtAction> actions)
    {
        if (line.IsGarbage)
        {
            actions.Add(new AtAction.Garbage(line.Text));
            return;
        }

        var text = line.Text;
        if (_urcAwaitingSecondLine is { } first)
        {
            _urcAwaitingSecondLine = null;
            if (_inFlight is null || ResultCodes.TryParse(text, [], acceptNumeric: false) is null)
            {
                actions.Add(new AtAction.Unsolicited(first, text));
                return;
            }

            // The command's final result came where the URC's second line should be: the URC had none.
            actions.Add(new AtAction.Unsolicited(first));
        }

        if (_quieting)
        {
            // A late answer to the command that timed out: let it pass, and wait for quiet again.
            if (_urcs.IsUnsolicited(text))
            {
                EmitUnsolicited(text, actions);
            }
            else
            {
                actions.Add(new AtAction.Stray(text));
            }

            if (++_quietRearms <= MaxQuietRearms)
            {
                actions.Add(new AtAction.ArmTimeout(QuietTimerId, QuietPeriod));
            }

            return;
        }

        if (_inFlight is not { } current)
        {
            HandleUnrequested(text, actions);
            return;
        }

        if (!_echoSeen && _lines.Count == 0 && IsEchoOf(text, current.Command))
        {
            _echoSeen = true;
            return;
        }

        var final = ResultCodes.TryParse(text, [.. _lines], current.Command.AcceptsNumericResult);
        if (final is not null && (final.Outcome != AtOutcome.Connect || current.Command.CanConnect))
        {
            _inFlight = null;
            actions.Add(new AtAction.Complete(current.Id, current.Command, final));
            if (final.Outcome == AtOutcome.Connect)
            {
                Mode = AtChatMode.Data;
                actions.Add(AtAction.DisarmTimeout.Instance);
                AbortQueued("the line carries a data call", actions);
                return;
            }

            SendNext(actions);
            return;
        }

        var expected = current.Command.ResponsePrefix;
        if (expected is not null && text.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
        {
            AddLine(text);
        }
        else if (_urcs.IsUnsolicited(text))
        {
            EmitUnsolicited(text, actions);
        }
        else
        {
            AddLine(text);
        }
    }

    private void HandleUnrequested(string text, List<AtAction> actions)
    {
        if (string.Equals(text, "NO CARRIER", StringComparison.OrdinalIgnoreCase) || _urcs.IsUnsolicited(text))
        {
            // NO CARRIER outside a command: the call was lost (V.250 §6.3.1).
            EmitUnsolicited(text, actions);
        }
        else
        {
            actions.Add(new AtAction.Stray(text));
        }
    }

    private void EmitUnsolicited(string text, List<AtAction> actions)
    {
        if (UnsolicitedCodes.HasSecondLine(text))
        {
            _urcAwaitingSecondLine = text;
            return;
        }

        actions.Add(new AtAction.Unsolicited(text));
    }

    private void AddLine(string text)
    {
        if (_lines.Count < MaxLinesPerResponse)
        {
            _lines.Add(text);
        }
    }

    private void SendNext(List<AtAction> actions)
    {
        _lines.Clear();
        _echoSeen = false;
        if (!_queue.TryDequeue(out var next))
        {
            Mode = AtChatMode.Idle;
            actions.Add(AtAction.DisarmTimeout.Instance);
            return;
        }

        _inFlight = next;
        Mode = AtChatMode.Busy;
        actions.Add(new AtAction.Write(next.Id, Encoding.ASCII.GetBytes(next.Command.Text + "\r")));
        actions.Add(new AtAction.ArmTimeout(next.Id, next.Command.Timeout));
    }

    private void AbortQueued(string reason, List<AtAction> actions)
    {
        while (_queue.TryDequeue(out var waiting))
        {
            actions.Add(new AtAction.Complete(waiting.Id, waiting.Command, AtResponse.Aborted(reason)));
        }
    }

    // The echo is the command line as the modem received it; some firmware truncates it (the seed
    // guide's E367 echoes "ATQ0 V1 E1 S0=0 &C1 &D2 +F" for the whole init line), so a prefix counts.
    private static bool IsEchoOf(string line, AtCommand command)
    {
        if (!line.StartsWith("AT", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var sent = Squash(command.Text);
        var echoed = Squash(line);
        return echoed.Length >= 2 && sent.StartsWith(echoed, StringComparison.OrdinalIgnoreCase);
    }

    private static string Squash(string s) => s.Replace(" ", string.Empty, StringComparison.Ordinal);
}
