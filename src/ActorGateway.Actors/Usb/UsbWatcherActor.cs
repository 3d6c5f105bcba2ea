using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Settings;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Supervision;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using Akka.Actor;
using Akka.Event;

namespace ActorGateway.Actors.Usb;

/// <summary>
/// USB discovery: the seed guide's <c>lsusb</c> step, kept up to date. It opens the kernel's uevent stream first, then
/// reads sysfs (so nothing plugged in between is missed), and from then on follows hot-plug events — no polling. One
/// <see cref="UsbDeviceActor"/> per USB device, created on add and stopped on remove; events for a device's interfaces,
/// ttys and network interfaces go to its actor. It also keeps what must outlive one device actor: mode switches under
/// way (the storage device leaves, the modem comes back as a new device), which device was which (USB serial, IMEI)
/// so a renumbered device keeps its id, and the USB-reset ledger per device.
/// </summary>
public sealed class UsbWatcherActor : ReceiveActor, IWithTimers
{
    private const string ReopenTimer = "reopen-uevents";

    private readonly UsbRuntime _runtime;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _children = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _paths = [];
    private readonly HashSet<IActorRef> _stopping = [];
    private readonly Dictionary<string, UsbDeviceStatus> _status = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingSwitch> _switches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _switchAttempts = new(StringComparer.Ordinal);
    private readonly List<KnownUsbDevice> _known = [];
    private readonly Dictionary<string, string> _idsInUse = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UsbResetLedger> _ledgers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ledgerKeys = new(StringComparer.Ordinal);
    private ExponentialBackoff _reopen = new(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
    private IUeventStream? _stream;
    private CancellationTokenSource? _reading;
    private int _generation;

    public UsbWatcherActor(UsbRuntime runtime)
    {
        _runtime = runtime;
        Receive<UeventArrived>(m => OnUevent(m.Event));
        Receive<EventsLost>(m =>
        {
            _log.Warning("USB: {Reason}; reading sysfs again", m.Reason);
            Rescan();
        });
        Receive<UeventsFailed>(m =>
        {
            var (delay, next) = _reopen.Next();
            _reopen = next;
            _log.Error("USB: hot-plug events stopped ({Reason}); devices present keep working; listening again in {Delay:0} s", m.Reason, delay.TotalSeconds);
            CloseStream();
            Timers.StartSingleTimer(ReopenTimer, Reopen.Instance, delay);
        });
        Receive<Reopen>(_ =>
        {
            if (OpenStream())
            {
                Rescan();
            }
        });
        Receive<UsbProtocol.StatusChanged>(m => _status[m.Status.Name] = m.Status);
        Receive<UsbProtocol.Ready>(m => JudgeSwitch(m.Device));
        Receive<UsbProtocol.RequestModeSwitch>(m => StartModeSwitch(m.Device, m.Entry));
        Receive<UsbProtocol.ModeSwitchRan>(m => SwitchRan(m.Name, m.Report));
        Receive<SwitchDeadline>(m => SwitchTimedOut(m.Name, m.Attempt));
        Receive<UsbProtocol.AssignId>(m => Sender.Tell(AssignId(m.Name, m.Device, m.Facts)));
        Receive<UsbProtocol.RememberIdentity>(m => Remember(m.Id, m.Facts));
        Receive<UsbProtocol.RequestReset>(m =>
        {
            if (_paths.TryGetValue(Sender, out var devPath))
            {
                _ledgerKeys[devPath[(devPath.LastIndexOf('/') + 1)..]] = m.Key;
            }

            Sender.Tell(DecideReset(m.Key));
        });
        Receive<UsbDiscovery.GetStatus>(_ => Sender.Tell(new UsbDiscovery.Status([.. _status.Values.OrderBy(s => s.Name, StringComparer.Ordinal)])));
        Receive<RestartDevice>(m => StartDevice(m.DevPath, Stopwatch.GetTimestamp(), null, fromEnumeration: true));
        Receive<Terminated>(m => OnTerminated(m.ActorRef));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(UsbRuntime runtime) => Akka.Actor.Props.Create(() => new UsbWatcherActor(runtime));

    /// <summary>The watcher for <paramref name="settings"/>, adding the modems it finds to <paramref name="gateway"/>.</summary>
    public static Props Props(UsbSettings settings, UsbDependencies usb, DeviceDependencies devices, IActorRef gateway) =>
        Props(new UsbRuntime(settings, usb, devices, gateway));

    protected override void PreStart()
    {
        var sysfs = _runtime.Usb.Sysfs;
        if (!sysfs.HasUsbBus)
        {
            // Said once: a machine (or container) without a USB bus runs its static devices and nothing else.
            _log.Warning("USB: this machine has no USB bus ({SysfsRoot}/bus/usb/devices is missing); discovery stays idle, static devices run as configured",
                _runtime.Settings.SysfsRoot);
            return;
        }

        var database = _runtime.Usb.Database;
        _log.Info("USB: discovery on; usb_modeswitch database: {Entries} entries from {Database}{Skipped}", database.Entries.Count,
            database.Sources.Count == 0 ? "nowhere (usb-modeswitch-data is not installed)" : string.Join(" and ", database.Sources),
            database.Problems.Count == 0 ? string.Empty : $", {database.Problems.Count} files skipped");
        foreach (var problem in database.Problems)
        {
            _log.Debug("USB: usb_modeswitch file {FileName} ({Source}) skipped: {Problem}", problem.FileName, problem.Source, problem.Problem);
        }

        // usb_modeswitch ignores a misspelled key without a word; in a file someone wrote by hand that is worth saying.
        foreach (var entry in database.Entries.Where(e => e.Source == _runtime.Settings.ModeSwitch.Overrides))
        {
            foreach (var warning in entry.Config.Warnings)
            {
                _log.Warning("USB: {Source}/{FileName}: {Warning}", entry.Source, entry.FileName, warning);
            }
        }

        OpenStream();
        Rescan();
    }

    protected override void PostStop() => CloseStream();

    /// <summary>One decider for the device actors: a failed one is stopped, and started afresh if its device is still there.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(e =>
    {
        _log.Error(e, "USB: a device actor failed; it is stopped and started again if its device is still there");
        return Directive.Stop;
    }, false);

    // ---------------------------------------------------------------- uevents

    private bool OpenStream()
    {
        try
        {
            _stream = _runtime.Usb.Uevents.Open();
        }
        catch (UeventSourceException e)
        {
            Self.Tell(new UeventsFailed(e.Message));
            return false;
        }

        _reopen = _reopen.Reset();
        _reading = new CancellationTokenSource();
        var (self, stream, token) = (Self, _stream, _reading.Token);
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    self.Tell(new UeventArrived(await stream.ReceiveAsync(token).ConfigureAwait(false)));
                }
                catch (UeventsLostException e)
                {
                    self.Tell(new EventsLost(e.Message));
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (!token.IsCancellationRequested)
                {
                    self.Tell(new UeventsFailed(e.Message));
                    return;
                }
                catch (Exception)
                {
                    return; // closing
                }
            }
        }, CancellationToken.None);
        return true;
    }

    private void CloseStream()
    {
        _reading?.Cancel();
        _stream?.Dispose();
        _reading?.Dispose();
        _reading = null;
        _stream = null;
    }

    private void OnUevent(Uevent e)
    {
        if (e.IsUsbDevice)
        {
            var name = e.Name;
            switch (e.Action)
            {
                case "add" when !_children.ContainsKey(e.DevPath):
                    if (name.StartsWith("usb", StringComparison.Ordinal))
                    {
                        _log.Debug("USB: {UsbDevice} is a root hub; ignored", name);
                        return;
                    }

                    StartDevice(e.DevPath, e.ReceivedAt != 0 ? e.ReceivedAt : Stopwatch.GetTimestamp(), UsbId.FromUeventProduct(e.Get("PRODUCT")), fromEnumeration: false);
                    return;
                case "remove":
                    StopDevice(e.DevPath, name);
                    return;
            }
        }

        if (Owner(e.DevPath) is { } child)
        {
            child.Tell(new UsbProtocol.Changed(e));
        }
    }

    private IActorRef? Owner(string devPath)
    {
        if (_children.TryGetValue(devPath, out var exact))
        {
            return exact;
        }

        // The deepest device whose directory holds the path: a hub's children are devices of their own.
        IActorRef? owner = null;
        var length = 0;
        foreach (var (path, child) in _children)
        {
            if (path.Length > length && devPath.StartsWith(path + "/", StringComparison.Ordinal))
            {
                (owner, length) = (child, path.Length);
            }
        }

        return owner;
    }

    /// <summary>Reads sysfs and brings the device actors in line with it (at start, and after lost events).</summary>
    private void Rescan()
    {
        var present = _runtime.Usb.Sysfs.Enumerate().Where(d => !d.IsRootHub).ToList();
        var paths = present.Select(d => d.DevPath).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _children.Keys.Where(p => !paths.Contains(p)).ToList())
        {
            StopDevice(gone, gone[(gone.LastIndexOf('/') + 1)..]);
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var device in present)
        {
            if (_children.TryGetValue(device.DevPath, out var child))
            {
                child.Tell(new UsbProtocol.Changed(new Uevent("change", device.DevPath, new Dictionary<string, string>())));
            }
            else
            {
                StartDevice(device.DevPath, now, device.Id, fromEnumeration: true);
            }
        }
    }

    private void StartDevice(string devPath, long detectedAt, UsbId? id, bool fromEnumeration)
    {
        if (_children.ContainsKey(devPath))
        {
            return;
        }

        var name = devPath[(devPath.LastIndexOf('/') + 1)..];
        var from = _switches.TryGetValue(name, out var pending) ? pending.From : (UsbId?)null;
        var child = Context.ActorOf(UsbDeviceActor.Props(_runtime, devPath, detectedAt, id, from), $"{Sanitize(name)}-{++_generation}");
        Context.Watch(child);
        _children[devPath] = child;
        _paths[child] = devPath;
        _log.Debug("USB: {UsbDevice} {UsbId} {How}", name, id?.ToString() ?? "?", fromEnumeration ? "present" : "plugged in");
    }

    private void StopDevice(string devPath, string name)
    {
        if (_switches.TryGetValue(name, out var pending))
        {
            _switches[name] = pending with { Gone = true };
            _log.Debug("USB: {UsbDevice} left the bus, as a mode switch makes it", name);
        }
        else if (_status.TryGetValue(name, out var last))
        {
            // A real unplug (no switch under way): the next plug-in gets its switch attempts back, and a dead device
            // its resets ("dead until replugged").
            _switchAttempts.Remove(name);
            if (last.State == UsbDeviceState.Dead && _ledgerKeys.TryGetValue(name, out var key))
            {
                _ledgers.Remove(key);
            }
        }

        if (!_switches.ContainsKey(name))
        {
            _ledgerKeys.Remove(name);
        }

        if (!_children.Remove(devPath, out var child))
        {
            return;
        }

        _log.Info("USB: {UsbDevice} unplugged", name);
        _status.Remove(name);
        ReleaseIds(name); // the id is free for the same device wherever it comes back
        _stopping.Add(child);
        Context.Stop(child);
    }

    private void OnTerminated(IActorRef child)
    {
        if (!_paths.Remove(child, out var devPath))
        {
            return;
        }

        if (_stopping.Remove(child))
        {
            return;
        }

        // It failed; if its device is still there, a fresh actor takes it over after a pause.
        var name = devPath[(devPath.LastIndexOf('/') + 1)..];
        _children.Remove(devPath);
        _status.Remove(name);
        ReleaseIds(name);
        if (_runtime.Usb.Sysfs.Read(devPath) is not null)
        {
            Timers.StartSingleTimer($"restart-{devPath}", new RestartDevice(devPath), TimeSpan.FromSeconds(1));
        }
    }

    // ---------------------------------------------------------------- mode switches

    private void StartModeSwitch(UsbDevice device, ModeSwitchEntry entry)
    {
        var name = device.Name;
        var attempts = _switchAttempts.GetValueOrDefault(name);
        var settings = _runtime.Settings.ModeSwitch;
        if (attempts >= settings.Attempts)
        {
            var reason = $"usb_modeswitch was tried {attempts} time{(attempts == 1 ? string.Empty : "s")} and {device.Id} did not come back in modem mode; replug it to try again";
            Context.System.EventStream.Publish(new UsbEvents.ModeSwitchFailed(name, device.Id, reason));
            Sender.Tell(new UsbProtocol.ModeSwitchRefused(reason));
            return;
        }

        _switchAttempts[name] = ++attempts;
        var delay = settings.Delay + TimeSpan.FromSeconds(entry.Config.WaitBefore ?? 0);
        _switches[name] = new PendingSwitch(name, device.Id, entry, attempts, Stopwatch.GetTimestamp(), null, Gone: false);
        _log.Info("USB: {UsbDevice} {DeviceId}: switching to modem mode in {Delay:0.#} s with usb_modeswitch, {Entry}, attempt {Attempts}", name, device.Id, delay.TotalSeconds,
            entry.Describe(), $"{attempts} of {settings.Attempts}");
        foreach (var warning in entry.Config.Warnings)
        {
            _log.Warning("USB: {UsbDevice}: usb_modeswitch entry {FileName}: {Warning}", name, entry.FileName, warning);
        }

        Context.ActorOf(ModeSwitchActor.Props(name, device, entry, _runtime.Usb.Switcher, delay), $"switch-{Sanitize(name)}-{attempts}-{++_generation}");
    }

    private void SwitchRan(string name, ModeSwitchReport report)
    {
        if (!_switches.TryGetValue(name, out var pending))
        {
            _log.Info("USB: {UsbDevice}: usb_modeswitch said {Report}", name, report.Describe());
            return;
        }

        _switches[name] = pending with { Report = report };

        // The device has come-back-within from the moment usb_modeswitch is done (the runner bounds how long that takes).
        Timers.StartSingleTimer($"switch-{name}", new SwitchDeadline(name, pending.Attempt), _runtime.Settings.ModeSwitch.ComeBackWithin);
        var note = report.Claim == ModeSwitchClaim.ClaimsFailure
            ? "; its own check is often wrong after a switch that worked, so the gateway waits for the device to come back"
            : string.Empty;
        _log.Info("USB: {UsbDevice}: usb_modeswitch said {Report}{Note}", name, report.Describe(), note);
    }

    /// <summary>A device settled where a switch is under way: did it come back in modem mode?</summary>
    private void JudgeSwitch(UsbDevice device)
    {
        if (!_switches.TryGetValue(device.Name, out var pending))
        {
            return;
        }

        var took = Stopwatch.GetElapsedTime(pending.StartedAt);
        var firstClass = device.Interfaces.FirstOrDefault()?.Class;
        if (pending.Entry.Config.IsTarget(pending.From, device.Id, firstClass))
        {
            _switches.Remove(device.Name);
            _switchAttempts.Remove(device.Name);
            Timers.Cancel($"switch-{device.Name}");
            _log.Info("USB: {UsbDevice}: mode switch worked: {From} came back as {DeviceId} after {Took:0.0} s{Note}", device.Name, pending.From, device.Id, took.TotalSeconds,
                pending.Report is { Claim: ModeSwitchClaim.ClaimsFailure } ? " (usb_modeswitch said it had failed)" : string.Empty);
            Context.System.EventStream.Publish(new UsbEvents.ModeSwitched(device.Name, pending.From, device.Id, took, pending.Report));
            return;
        }

        if (!pending.Gone)
        {
            return; // the storage device re-settling before it leaves; the deadline decides
        }

        _switches.Remove(device.Name);
        Timers.Cancel($"switch-{device.Name}");
        var reason = device.Id == pending.From
            ? $"it came back as {device.Id} again (still storage)"
            : $"it came back as {device.Id}, which is not one of {pending.Entry.Config.Describe(pending.From)}";
        _log.Warning("USB: {Name}: mode switch of {From} did not work: {Reason}", device.Name, pending.From, reason);
        Context.System.EventStream.Publish(new UsbEvents.ModeSwitchFailed(device.Name, pending.From, reason));
    }

    private void SwitchTimedOut(string name, int attempt)
    {
        if (!_switches.TryGetValue(name, out var pending) || pending.Attempt != attempt)
        {
            return;
        }

        _switches.Remove(name);
        var said = pending.Report is { } report ? $" (usb_modeswitch said {report.Describe()})" : " (usb_modeswitch had not finished)";
        var reason = $"{pending.From} did not come back in modem mode within {_runtime.Settings.ModeSwitch.ComeBackWithin.TotalSeconds:0} s{said}";
        _log.Error("USB: {UsbDevice}: mode switch failed: {Reason}", name, reason);
        Context.System.EventStream.Publish(new UsbEvents.ModeSwitchFailed(name, pending.From, reason));
        if (_children.FirstOrDefault(c => c.Key.EndsWith("/" + name, StringComparison.Ordinal)).Value is { } child)
        {
            child.Tell(new UsbProtocol.ModeSwitchTimedOut(reason));
        }
    }

    // ---------------------------------------------------------------- identity

    /// <summary>
    /// The device's id: from an <c>actorgateway.devices</c> rule that names one; else the id it had before, if its USB
    /// serial or IMEI is one seen earlier (a brown-out or another port renumbers it, the id stays); else a new one made
    /// from its product name and the end of its USB serial or IMEI.
    /// </summary>
    private UsbProtocol.IdAssigned AssignId(string name, UsbDevice device, DeviceFacts facts)
    {
        var rule = _runtime.Settings.Devices.Find(facts);
        string? id = rule?.Id;
        if (id is null && KnownUsbDevices.Find(_known, facts, other => _idsInUse.TryGetValue(other, out var holder) && holder != name) is ({ } found, var matchedBy))
        {
            id = found.Id;
            _log.Info("USB: {UsbDevice} is {DeviceId} again (same {MatchedBy})", name, id, matchedBy);
        }

        if (id is null || (_idsInUse.TryGetValue(id, out var holder) && holder != name))
        {
            id = Unique(Suggest(device, facts));
        }

        _idsInUse[id] = name;
        Remember(id, facts);
        return new UsbProtocol.IdAssigned(id, rule);
    }

    private void Remember(string id, DeviceFacts facts)
    {
        var known = _known.FindIndex(k => k.Id == id);
        if (known < 0)
        {
            _known.Add(new KnownUsbDevice(id, facts.UsbId, facts.UsbSerial, facts.Imei));
            return;
        }

        var k = _known[known];
        _known[known] = k with { UsbId = facts.UsbId ?? k.UsbId, Serial = facts.UsbSerial ?? k.Serial, Imei = facts.Imei ?? k.Imei };
    }

    private void ReleaseIds(string name)
    {
        foreach (var id in _idsInUse.Where(p => p.Value == name).Select(p => p.Key).ToList())
        {
            _idsInUse.Remove(id);
        }
    }

    private string Unique(string candidate)
    {
        bool Taken(string id) => _runtime.Settings.StaticIds.Contains(id) || _idsInUse.ContainsKey(id)
            || _known.Any(k => k.Id == id) || _runtime.Settings.Devices.Rules.Any(r => r.Id == id);
        if (!Taken(candidate))
        {
            return candidate;
        }

        for (var n = 2; ; n++)
        {
            var suffix = "-" + n.ToString(CultureInfo.InvariantCulture);
            var id = candidate.Length + suffix.Length > 32 ? candidate[..(32 - suffix.Length)] + suffix : candidate + suffix;
            if (!Taken(id))
            {
                return id;
            }
        }
    }

    private static string Suggest(UsbDevice device, DeviceFacts facts)
    {
        var stem = Slug(device.Product ?? device.Manufacturer ?? $"usb-{device.Id.Vendor:x4}-{device.Id.Product:x4}");
        // The USB serial first: it is there before any AT, so the name does not depend on whether the probe's AT+CGSN
        // was answered in time; then the IMEI; then where it is plugged.
        var tail = facts.UsbSerial is { } serial && Slug(serial) is { Length: >= 1 } s ? (s.Length > 6 ? s[^6..] : s)
            : facts.Imei is { Length: >= 4 } imei ? imei[^4..]
            : Slug(device.Name);
        var id = $"{stem}-{tail}";
        id = id.Length > 32 ? id[..32].TrimEnd('-') : id;
        return GatewaySettings.IsValidId(id) ? id : "usb-" + Slug(device.Name);
    }

    private static string Slug(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        return sb.ToString().Trim('-');
    }

    private static string Sanitize(string name) => name.Replace(':', '_');

    // ---------------------------------------------------------------- resets

    private object DecideReset(string key)
    {
        var policy = _runtime.Settings.Reset;
        var now = _runtime.Devices.Clock.GetUtcNow();
        var ledger = _ledgers.GetValueOrDefault(key) ?? new UsbResetLedger();
        switch (ledger.Decide(policy, now))
        {
            case UsbResetDecision.Now n:
                _ledgers[key] = ledger.Record(policy, now);
                return new UsbProtocol.ResetNow(n.Attempt);
            case UsbResetDecision.After a:
                return new UsbProtocol.ResetLater(a.Delay);
            case UsbResetDecision.GiveUp g:
                return new UsbProtocol.ResetRefused(g.Reason);
            default:
                throw new InvalidOperationException("unknown reset decision");
        }
    }

    private sealed record UeventArrived(Uevent Event);

    private sealed record EventsLost(string Reason);

    private sealed record UeventsFailed(string Reason);

    private sealed record Reopen
    {
        public static readonly Reopen Instance = new();
    }

    private sealed record RestartDevice(string DevPath);

    private sealed record SwitchDeadline(string Name, int Attempt);

    private sealed record PendingSwitch(string Name, UsbId From, ModeSwitchEntry Entry, int Attempt, long StartedAt, ModeSwitchReport? Report, bool Gone);
}
