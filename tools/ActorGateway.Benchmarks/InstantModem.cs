using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;

namespace ActorGateway.Benchmarks;

/// <summary>
/// A simulated modem that answers at once (registered at power-on, CONNECT the moment ATD arrives) behind a real
/// pty, on the wall clock, so its command log says when each line reached the modem.
/// </summary>
internal sealed class InstantModem : IAsyncDisposable
{
    /// <summary>The SIM PIN of the variant with a PIN.</summary>
    public const string Pin = "1234";

    private readonly ModemSimulator _simulator;
    private readonly PtyModemHost _ptys;
    private readonly Lock _gate = new();
    private readonly List<int> _connects = []; // for each CONNECT: how many lines the log held when it went out
    private bool _online;

    private InstantModem(ModemSimulator simulator, PtyModemHost ptys)
    {
        _simulator = simulator;
        _ptys = ptys;
        _simulator.AtPort.Changed += OnAtPortChanged;
    }

    /// <summary>The tty link the programs under test open (stable across unplug and replug).</summary>
    public string TtyPath => _ptys.PathOf(_simulator.AtPort);

    /// <summary>The profile the modem runs, with its delays zeroed.</summary>
    public ModemProfile Profile => _simulator.Profile;

    /// <summary>Every line the modem has received, stamped on arrival.</summary>
    public IReadOnlyList<CommandLogEntry> Log => _simulator.CommandLog;

    /// <summary>How many command lines the modem has received so far.</summary>
    public int LogLength => _simulator.CommandLog.Count;

    /// <summary>The model with no registration, boot or dial delay.</summary>
    public static ModemProfile InstantProfile(ModemProfile model) => model with
    {
        RegistrationDelay = TimeSpan.Zero,
        ConnectDelay = TimeSpan.Zero,
        BootDelay = TimeSpan.Zero,
    };

    /// <summary>The models the benchmark knows, by the gateway's profile names.</summary>
    public static ModemProfile Model(string name) => name switch
    {
        "nokia-c2-01" => NokiaC2_01.Profile,
        "generic-lte" => Generic3gppModem.Profile,
        _ => throw new ArgumentException($"unknown model {name} (nokia-c2-01 or generic-lte)", nameof(name)),
    };

    /// <summary>Starts the modem's ptys under <paramref name="directory"/>; with <paramref name="withPin"/> its SIM asks for <see cref="Pin"/>.</summary>
    public static async Task<InstantModem> StartAsync(string directory, ModemProfile model, bool withPin)
    {
        var profile = InstantProfile(model);
        var simulator = new ModemSimulator(profile, SimCard.ForProfile(profile, pin: Pin, pinEnabled: withPin), timeProvider: TimeProvider.System);
        try
        {
            var ptys = await PtyModemHost.StartAsync(simulator, Path.Combine(directory, "modem-")).ConfigureAwait(false);
            return new InstantModem(simulator, ptys);
        }
        catch
        {
            simulator.Dispose();
            throw;
        }
    }

    /// <summary>Unplugs the modem: its tty disappears and whoever holds it gets EIO.</summary>
    public void Unplug() => _simulator.Vanish();

    /// <summary>Plugs it back in (a fresh power-on, the same SIM); the tty link exists again when this returns.</summary>
    public void Replug() => _simulator.Return();

    /// <summary>
    /// Waits until a dial after line <paramref name="fromIndex"/> connected, and returns the lines from
    /// <paramref name="fromIndex"/> through that dial. With no dial delay the modem answers CONNECT while it takes
    /// the ATD line, so the ATD line's timestamp is the moment of CONNECT.
    /// </summary>
    public async Task<IReadOnlyList<CommandLogEntry>> WaitForConnectAsync(int fromIndex, TimeSpan within, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        while (true)
        {
            int? through;
            lock (_gate)
            {
                through = _connects.Where(n => n > fromIndex).Select(n => (int?)n).FirstOrDefault();
            }

            if (through is { } count)
            {
                var lines = _simulator.CommandLog.Take(count).Skip(fromIndex).ToList();
                var dial = lines.FindLastIndex(e => e.Line.StartsWith("ATD", StringComparison.OrdinalIgnoreCase));
                return [.. lines.Take(dial + 1)];
            }

            try
            {
                // Only how soon we notice; the figures come from the modem's own timestamps.
                await Task.Delay(2, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no CONNECT within {within.TotalSeconds:0} s; the modem received: " +
                    string.Join(" | ", _simulator.CommandLog.Skip(fromIndex).Select(e => e.Line)));
            }
        }
    }

    // Raised on the pty's thread right after the modem took the bytes that made it answer, before that thread can
    // see the line close: a call that a dialler hangs up at once (wvdial closes the tty for pppd) is still seen.
    private void OnAtPortChanged(SimulatedPort port)
    {
        var online = port.Mode == PortMode.OnlineData;
        lock (_gate)
        {
            if (online && !_online)
            {
                _connects.Add(_simulator.CommandLog.Count);
            }

            _online = online;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _simulator.AtPort.Changed -= OnAtPortChanged;
        await _ptys.DisposeAsync().ConfigureAwait(false);
        _simulator.Dispose();
    }
}
