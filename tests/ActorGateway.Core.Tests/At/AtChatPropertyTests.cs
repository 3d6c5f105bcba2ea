using System.Text;
using ActorGateway.Core.At;
using CsCheck;
using static ActorGateway.Core.Tests.At.ChatScript;

namespace ActorGateway.Core.Tests.At;

public class AtChatPropertyTests
{
    private static readonly AtCommand[] Commands =
    [
        new("AT+CSQ", TimeSpan.FromSeconds(3)),
        new("ATZ", TimeSpan.FromSeconds(10)),
        new("AT+CREG?", TimeSpan.FromSeconds(3)),
        new("AT+CPIN?", TimeSpan.FromSeconds(3)),
        new("ATD*99#", TimeSpan.FromSeconds(60)),
    ];

    private enum OpKind
    {
        Submit,
        Receive,
        TimerFires,
        StaleTimer,
        Abort,
        LeaveDataMode,
    }

    private readonly record struct Op(OpKind Kind, int Command, byte[] Bytes)
    {
        public override string ToString() => Kind switch
        {
            OpKind.Submit => $"Submit({Commands[Command].Text})",
            OpKind.Receive => $"Receive(\"{Encoding.Latin1.GetString(Bytes).Replace("\r", "\\r").Replace("\n", "\\n")}\")",
            _ => Kind.ToString(),
        };
    }

    private static readonly Gen<Op> Ops = Gen.Frequency(
        (4, Gen.Int[0, Commands.Length - 1].Select(c => new Op(OpKind.Submit, c, []))),
        (6, Gen.OneOf(Noise.Traffic, Noise.Raw).Select(b => new Op(OpKind.Receive, 0, b))),
        (2, Gen.Const(new Op(OpKind.TimerFires, 0, []))),
        (1, Gen.Const(new Op(OpKind.StaleTimer, 0, []))),
        (1, Gen.Const(new Op(OpKind.Abort, 0, []))),
        (1, Gen.Const(new Op(OpKind.LeaveDataMode, 0, []))));

    [Fact]
    public void AtChat_should_never_throw_on_any_bytes_in_any_chunking()
    {
        Gen.Select(Gen.OneOf(Noise.Raw, Noise.Traffic), Noise.Cuts, Gen.Int[0, Commands.Length]).Sample((bytes, cuts, command) =>
        {
            var chat = new AtChat();
            if (command < Commands.Length)
            {
                chat.Submit(1, Commands[command]);
            }

            foreach (var chunk in Noise.Split(bytes, cuts))
            {
                chat.Receive(chunk);
            }
        }, iter: 500);
    }

    [Fact]
    public void AtChat_should_act_the_same_whatever_the_chunking_of_its_input()
    {
        // No dial here: after CONNECT the reads that follow belong to PPP, so there chunking matters by design.
        Gen.Select(Noise.Traffic, Noise.Cuts).Sample((bytes, cuts) =>
        {
            static AtChat Busy()
            {
                var chat = new AtChat();
                chat.Submit(1, Commands[0]);
                chat.Submit(2, Commands[1]);
                chat.Submit(3, Commands[2]);
                return chat;
            }

            var whole = Show(Busy().Receive(bytes));
            var chunkedChat = Busy();
            var chunked = Noise.Split(bytes, cuts).SelectMany(c => Show(chunkedChat.Receive(c))).ToArray();

            Assert.Equal(whole, chunked);
        }, iter: 500);
    }

    [Fact]
    public void AtChat_should_answer_a_command_after_any_noise_that_ends_a_line()
    {
        // Noise cannot swallow an answer once its last line is ended (a partial line would become part of the answer).
        Gen.Select(Noise.Raw, Noise.Cuts).Sample((noise, cuts) =>
        {
            var chat = new AtChat();
            foreach (var chunk in Noise.Split([.. noise, (byte)'\r', (byte)'\n'], cuts))
            {
                chat.Receive(chunk);
            }

            Assert.Equal(["write 1 AT+CSQ\\r", "arm 1 3s"], Show(chat.Submit(1, Commands[0])));
            Assert.Equal(["complete 1 Ok [+CSQ: 20,99]", "disarm"], Show(chat.Receive(Bytes("\r\n+CSQ: 20,99\r\n\r\nOK\r\n"))));
            Assert.Equal(AtChatMode.Idle, chat.Mode);
        }, iter: 1000);
    }

    [Fact]
    public void AtChat_should_never_wedge_after_arbitrary_traffic()
    {
        Gen.Select(Gen.OneOf(Noise.Raw, Noise.Traffic), Noise.Cuts).Sample((noise, cuts) =>
        {
            var chat = new AtChat();
            foreach (var chunk in Noise.Split(noise, cuts))
            {
                chat.Receive(chunk);
            }

            var completions = new List<AtAction.Complete>();
            completions.AddRange(chat.Submit(1, Commands[0]).OfType<AtAction.Complete>());
            completions.AddRange(chat.Receive(Bytes("\r\nOK\r\n")).OfType<AtAction.Complete>());
            if (completions.Count == 0)
            {
                // The answer went to a line the noise left open (a partial line, a +CMT header); the timer still ends it.
                completions.AddRange(chat.TimedOut(1).OfType<AtAction.Complete>());
            }

            Assert.Equal(1L, Assert.Single(completions).Id);
            Assert.Equal(AtChatMode.Idle, chat.Mode);
            Assert.Null(chat.InFlight);
        }, iter: 1000);
    }

    [Fact]
    public void AtChat_should_complete_every_submitted_command_exactly_once()
    {
        Ops.Array[0, 40].Sample(ops => new Model().Run(ops), iter: 1000, print: ops => string.Join("; ", ops));
    }

    /// <summary>
    /// Runs the chat as its owner would, with a model of the single timer, and checks after every step that no
    /// command is lost, none completes twice, the timer is armed exactly while a command is in flight, and
    /// the mode matches what is in flight.
    /// </summary>
    private sealed class Model
    {
        private readonly AtChat _chat = new();
        private readonly Dictionary<long, AtCommand> _submitted = [];
        private readonly Dictionary<long, int> _completions = [];
        private long _nextId = 1;
        private long? _written;
        private long? _armed;

        public void Run(Op[] ops)
        {
            foreach (var op in ops)
            {
                Step(op);
            }

            // Let time pass and the call end: everything still outstanding must complete.
            if (_chat.Mode == AtChatMode.Data)
            {
                Apply(_chat.LeaveDataMode());
            }

            for (var i = 0; _armed is { } id && i <= (2 * _submitted.Count) + 1; i++)
            {
                Apply(_chat.TimedOut(id));
            }

            Assert.Equal(AtChatMode.Idle, _chat.Mode);
            Assert.All(_submitted.Keys, id => Assert.Equal(1, _completions.GetValueOrDefault(id)));
        }

        private void Step(Op op)
        {
            switch (op.Kind)
            {
                case OpKind.Submit:
                    var id = _nextId++;
                    _submitted[id] = Commands[op.Command];
                    Apply(_chat.Submit(id, Commands[op.Command]));
                    break;
                case OpKind.Receive:
                    Apply(_chat.Receive(op.Bytes));
                    break;
                case OpKind.TimerFires when _armed is { } armed:
                    var actions = _chat.TimedOut(armed);
                    if (armed == AtChat.QuietTimerId)
                    {
                        // The quiet period after a timeout ended: the next command (if any) goes out.
                        Assert.DoesNotContain(actions, a => a is AtAction.Complete);
                        _armed = null;
                    }
                    else
                    {
                        Assert.Contains(actions, a => a is AtAction.Complete c && c.Id == armed && c.Response.Outcome == AtOutcome.Timeout);
                    }

                    Apply(actions);
                    break;
                case OpKind.StaleTimer:
                    Assert.Empty(_chat.TimedOut(_completions.Keys.DefaultIfEmpty(-1).Max()));
                    break;
                case OpKind.Abort:
                    Apply(_chat.Abort("test"));
                    Assert.Equal(AtChatMode.Idle, _chat.Mode);
                    break;
                case OpKind.LeaveDataMode:
                    Apply(_chat.LeaveDataMode());
                    break;
            }

            CheckInvariants();
        }

        private void Apply(IReadOnlyList<AtAction> actions)
        {
            foreach (var action in actions)
            {
                switch (action)
                {
                    case AtAction.Write w:
                        Assert.Null(_written);
                        Assert.True(_submitted.ContainsKey(w.Id), $"wrote unknown id {w.Id}");
                        Assert.Equal(_submitted[w.Id].Text + "\r", Encoding.ASCII.GetString(w.Bytes));
                        _written = w.Id;
                        break;
                    case AtAction.ArmTimeout { Id: AtChat.QuietTimerId } q:
                        Assert.Null(_written);
                        Assert.Equal(AtChat.QuietPeriod, q.After);
                        _armed = q.Id;
                        break;
                    case AtAction.ArmTimeout a:
                        Assert.Equal(_written, a.Id);
                        Assert.Equal(_submitted[a.Id].Timeout, a.After);
                        _armed = a.Id;
                        break;
                    case AtAction.DisarmTimeout:
                        _armed = null;
                        break;
                    case AtAction.Complete c:
                        Assert.True(_submitted.ContainsKey(c.Id), $"completed unknown id {c.Id}");
                        Assert.Same(_submitted[c.Id], c.Command);
                        _completions[c.Id] = _completions.GetValueOrDefault(c.Id) + 1;
                        Assert.True(_completions[c.Id] == 1, $"id {c.Id} completed twice");
                        if (_written == c.Id)
                        {
                            _written = null;
                        }

                        break;
                    case AtAction.EnteredDataMode:
                        Assert.Equal(AtChatMode.Data, _chat.Mode);
                        break;
                }
            }
        }

        private void CheckInvariants()
        {
            var outstanding = _submitted.Count - _completions.Count;
            Assert.Equal((_written is null ? 0 : 1) + _chat.QueuedCount, outstanding);
            Assert.Equal(_written is null, _chat.InFlight is null);
            var quieting = _armed == AtChat.QuietTimerId;
            Assert.Equal(_written, quieting ? null : _armed);
            if (_written is { } id)
            {
                Assert.Same(_submitted[id], _chat.InFlight);
            }

            Assert.Equal(_chat.InFlight is not null || quieting, _chat.Mode == AtChatMode.Busy);
            if (_chat.Mode != AtChatMode.Busy)
            {
                Assert.Equal(0, _chat.QueuedCount);
            }
        }
    }
}
