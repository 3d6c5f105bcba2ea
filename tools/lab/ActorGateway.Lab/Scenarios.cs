namespace ActorGateway.Lab;

/// <summary>Steps several scenarios share.</summary>
internal static class Steps
{
    public static readonly TimeSpan UpTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The link the gateway reports is the ISP's, the kernel agrees, and a ping crosses it.</summary>
    public static async Task CheckLinkAsync(Lab lab, ScenarioRun run, LabModem modem, DeviceView device, bool byRoutingTable, CancellationToken ct)
    {
        var isp = modem.Isp;
        run.Check(device.LocalAddress == isp.Remote && device.RemoteAddress == isp.Local,
            $"{modem.Id}: status shows {device.Interface} {device.LocalAddress} -> {device.RemoteAddress}", $"the ISP gives {isp.Remote} -> {isp.Local}");
        run.Check(device.Dns.Contains(isp.Dns), $"{modem.Id}: status shows the ISP's DNS", $"dns {string.Join(' ', device.Dns)}");
        var addr = await lab.Guest.RunAsync($"ip -4 -o addr show dev {device.Interface}", TimeSpan.FromSeconds(30), ct);
        run.Check(addr.Ok && addr.Output.Contains($"inet {isp.Remote} peer {isp.Local}/32", StringComparison.Ordinal),
            $"{modem.Id}: the kernel has {device.Interface} up with the same addresses", addr.Output.Trim());
        var ping = await lab.PingAsync(byRoutingTable ? null : device.Interface, ct);
        lab.Detail(ping.Output);
        var routed = !byRoutingTable || ping.Output.Contains($"dev {device.Interface}", StringComparison.Ordinal);
        run.Check(ping.Ok && routed, $"{modem.Id}: ping 10.99.0.1 through {device.Interface}{(byRoutingTable ? " (the default route)" : "")}",
            ping.Output.Split('\n').FirstOrDefault(l => l.Contains("packets transmitted", StringComparison.Ordinal)) ?? "no ping summary");
    }

    /// <summary>Waits until the modem is online, as a precondition; plugs it back first if an earlier scenario left it out.</summary>
    public static async Task<DeviceView> OnlineAsync(Lab lab, LabModem modem, CancellationToken ct)
    {
        if (!modem.InQemu)
        {
            lab.Say($"  {modem.Id} was left unplugged: plugging it back first");
            await lab.PlugAsync(modem, ct);
        }

        return await lab.WaitForDeviceAsync(modem, "online", d => d.IsOnline, UpTimeout, ct);
    }

    public static async Task<string> GatewayLogSinceAsync(Lab lab, long offset)
    {
        await using var stream = new FileStream(lab.GatewayLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public static async Task<bool> AliveAsync(Lab lab, string pid, CancellationToken ct) =>
        (await lab.Guest.RunAsync($"kill -0 {pid}", TimeSpan.FromSeconds(30), ct)).Ok;
}

/// <summary>1. Cold plug: the modem is on the bus at boot; the gateway brings ppp0 up and a ping goes through it.</summary>
internal sealed class ColdPlug : Scenario
{
    public override int Number => 1;

    public override string Name => "cold-plug";

    public override string Title => "modem present at boot -> ppp up, ping through it";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var tty = await lab.TtyOfAsync(lab.M0, ct);
        run.Check(tty is not null, "m0 is on the guest's USB bus at boot (udev by-id link)", tty ?? "no /dev/serial/by-id link");
        var device = await Steps.OnlineAsync(lab, lab.M0, ct);
        run.Figure("gateway start -> m0 online (ppp up)", lab.Now - lab.GatewayStartedAt);
        lab.Detail(device.ToString());
        await Steps.CheckLinkAsync(lab, run, lab.M0, device, byRoutingTable: true, ct);
        var resolver = await lab.Guest.RunAsync("echo '/etc/ppp/resolv.conf:'; cat /etc/ppp/resolv.conf; echo '/etc/resolv.conf:'; cat /etc/resolv.conf", TimeSpan.FromSeconds(30), ct);
        lab.Detail(resolver.Output);
    }
}

/// <summary>2. Hot plug: the modem is added over QMP after the gateway runs; it comes up by itself.</summary>
internal sealed class HotPlug : Scenario
{
    public override int Number => 2;

    public override string Name => "hot-plug";

    public override string Title => "modem added after the gateway starts -> up";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var modem = lab.M1;
        if (modem.InQemu)
        {
            await lab.UnplugAsync(modem, ct);
        }

        // The gateway runs (its control socket answers) and has no call on this modem.
        await lab.WaitAsync("the gateway's control socket", Steps.UpTimeout, async () => await lab.StatusAsync(ct) is not null, ct);
        var before = await lab.DeviceAsync(modem, ct);
        lab.Detail($"before the plug: {before?.ToString() ?? "the gateway has no device for it"}");
        run.Check(before is not { IsOnline: true }, "m1 is not online before it is plugged", before?.State ?? "unknown to the gateway");

        var plugged = lab.Now;
        await lab.PlugAsync(modem, ct);
        string? tty = null;
        await lab.WaitAsync("m1's tty", TimeSpan.FromSeconds(60), async () => (tty = await lab.TtyOfAsync(modem, ct)) is not null, ct);
        run.Figure("device_add -> tty with by-id link (kernel + udev)", lab.Now - plugged);
        lab.Detail($"m1 is {tty}");
        var device = await Steps.OnlineAsync(lab, modem, ct);
        run.Figure("device_add -> m1 online (ppp up)", lab.Now - plugged);
        await Steps.CheckLinkAsync(lab, run, modem, device, byRoutingTable: false, ct);
    }
}

/// <summary>6. Two modems at once, each with its own ppp interface and its own ISP.</summary>
internal sealed class TwoModems : Scenario
{
    public override int Number => 6;

    public override string Name => "two-modems";

    public override string Title => "two modems at once, each with its own ppp interface";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var start = lab.Now;
        foreach (var modem in lab.Modems.Where(m => !m.InQemu))
        {
            await lab.PlugAsync(modem, ct);
        }

        var devices = new List<DeviceView>();
        foreach (var modem in lab.Modems)
        {
            devices.Add(await Steps.OnlineAsync(lab, modem, ct));
        }

        run.Figure("both online", lab.Now - start);
        run.Check(devices[0].Interface != devices[1].Interface, "each modem has its own ppp interface",
            string.Join(", ", devices.Select(d => $"{d.Id} {d.Interface}")));
        for (var i = 0; i < devices.Count; i++)
        {
            await Steps.CheckLinkAsync(lab, run, lab.Modems[i], devices[i], byRoutingTable: false, ct);
        }

        var ttys = await lab.Guest.RunAsync("ls -l /dev/serial/by-id/", TimeSpan.FromSeconds(30), ct);
        lab.Detail(ttys.Output);
    }
}

/// <summary>3. Brown-out: the modem drops off the bus mid-call and comes back reset 2 s later.</summary>
internal sealed class BrownOut : Scenario
{
    public override int Number => 3;

    public override string Name => "brown-out";

    public override string Title => "device_del mid-session, device_add 2 s later (modem reset) -> clean teardown, up again";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var modem = lab.M0;
        var before = await Steps.OnlineAsync(lab, modem, ct);
        var tty = await lab.TtyOfAsync(modem, ct) ?? throw new InvalidOperationException("m0 has no tty");
        var pppd = await lab.StepAsync($"pppd-pid {LabModem.PppLinkNameOf(before.Id)}", ct);
        lab.Detail($"before: {before}; {tty}; pppd pid {pppd}");

        var unplugged = lab.Now;
        await lab.UnplugAsync(modem, ct);
        run.Figure("device_del -> DEVICE_DELETED", lab.Now - unplugged);
        var back = unplugged + TimeSpan.FromSeconds(2);

        if (pppd.Length > 0)
        {
            await lab.WaitAsync("pppd to end", TimeSpan.FromSeconds(30), async () => !await Steps.AliveAsync(lab, pppd, ct), ct);
            run.Figure("device_del -> the call's pppd gone", lab.Now - unplugged);
        }

        run.Check(pppd.Length > 0, "the call's pppd is gone", $"pid {pppd}");
        await lab.WaitAsync("the gateway to see m0 gone", TimeSpan.FromSeconds(60), async () => await lab.DeviceAsync(modem, ct) is not { IsOnline: true }, ct);
        run.Figure("device_del -> the gateway reports m0 not online", lab.Now - unplugged);
        var holders = await lab.StepAsync($"holds {tty}", ct);
        var who = holders.Length == 0 ? "" : (await lab.Guest.RunAsync(
            string.Join("; ", holders.Split('\n').Select(p => $"echo {p} $(cat /proc/{p}/comm) $(tr '\\0' ' ' < /proc/{p}/cmdline | cut -c1-120)")), TimeSpan.FromSeconds(30), ct)).Output;
        run.Check(holders.Length == 0, $"nothing holds {tty} any more (port closed)", holders.Length == 0 ? "" : $"held by {who.Replace("\n", "; ", StringComparison.Ordinal)}");
        var gone = await lab.Guest.RunAsync($"test ! -e /dev/{tty}", TimeSpan.FromSeconds(30), ct);
        run.Check(gone.Ok, $"/dev/{tty} is gone");

        if (back > lab.Now)
        {
            await Task.Delay(back - lab.Now, ct);
        }

        var plugged = lab.Now;
        await lab.PlugAsync(modem, ct);
        string? again = null;
        await lab.WaitAsync("m0's tty", TimeSpan.FromSeconds(60), async () => (again = await lab.TtyOfAsync(modem, ct)) is not null, ct);
        if (!run.Check(again == tty, "the re-plugged modem gets the same tty name (no stale tty left)", $"{tty} -> {again}"))
        {
            lab.Detail((await lab.Guest.RunAsync("dmesg | grep -E 'ttyUSB|usb [0-9]-' | tail -n 30", TimeSpan.FromSeconds(30), ct)).Output);
        }

        var after = await lab.WaitForDeviceAsync(modem, "online again", d => d.IsOnline, Steps.UpTimeout, ct);
        run.Figure("device_add -> m0 online again", lab.Now - plugged);
        run.Figure("device_del -> m0 online again (outage)", lab.Now - unplugged);
        lab.Detail(after.ToString());
        var newPppd = await lab.StepAsync($"pppd-pid {LabModem.PppLinkNameOf(after.Id)}", ct);
        run.Check(newPppd.Length > 0 && newPppd != pppd, "a new pppd carries the new call", $"pid {pppd} -> {newPppd}");
        await Steps.CheckLinkAsync(lab, run, modem, after, byRoutingTable: false, ct);
    }
}

/// <summary>4. Stale port: another program holds the tty when the modem vanishes; the re-plug gets another name.</summary>
internal sealed class StalePort : Scenario
{
    public override int Number => 4;

    public override string Name => "stale-port";

    public override string Title => "port held open by another process when the device vanishes -> replug gets a new tty name, still found";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var modem = lab.M0;
        var before = await Steps.OnlineAsync(lab, modem, ct);
        var tty = await lab.TtyOfAsync(modem, ct) ?? throw new InvalidOperationException("m0 has no tty");
        try
        {
            await lab.StepAsync($"hold {tty}", ct);
            var holder = (await lab.Guest.RunAsync("cat /run/lab-holder.pid", TimeSpan.FromSeconds(30), ct)).Output.Trim();
            await lab.WaitAsync("the holder to open the tty", TimeSpan.FromSeconds(30), async () => (await lab.StepAsync($"holds {tty}", ct)).Split('\n').Contains(holder), ct);
            lab.Detail($"pid {holder} holds /dev/{tty}");

            var unplugged = lab.Now;
            await lab.UnplugAsync(modem, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await lab.WaitAsync("the gateway to see m0 gone", TimeSpan.FromSeconds(60), async () => await lab.DeviceAsync(modem, ct) is not { IsOnline: true }, ct);
            var plugged = lab.Now;
            await lab.PlugAsync(modem, ct);
            string? again = null;
            await lab.WaitAsync("m0's tty", TimeSpan.FromSeconds(60), async () => (again = await lab.TtyOfAsync(modem, ct)) is not null, ct);
            run.Check(again is not null && again != tty, "the re-plugged modem gets a different tty name (the old one is stale)", $"{tty} -> {again}");
            var after = await lab.WaitForDeviceAsync(modem, "online again", d => d.IsOnline, Steps.UpTimeout, ct);
            run.Figure("device_add -> m0 online on the new tty", lab.Now - plugged);
            run.Figure("device_del -> m0 online on the new tty (outage)", lab.Now - unplugged);
            lab.Detail(after.ToString());
            var pppd = await lab.StepAsync($"pppd-pid {LabModem.PppLinkNameOf(after.Id)}", ct);
            var holders = again is null ? "" : await lab.StepAsync($"holds {again}", ct);
            run.Check(pppd.Length > 0 && holders.Split('\n').Contains(pppd), $"the gateway's pppd carries the call on /dev/{again}", $"pppd {pppd}; holders of {again}: {holders.Replace('\n', ' ')}");
            await Steps.CheckLinkAsync(lab, run, modem, after, byRoutingTable: false, ct);
        }
        finally
        {
            await lab.StepAsync("release", ct);
        }
    }
}

/// <summary>5. The ISP drops the call (its pppd is killed): LCP echoes go unanswered, the gateway redials.</summary>
internal sealed class IspDrop : Scenario
{
    public override int Number => 5;

    public override string Name => "isp-drop";

    public override string Title => "ISP pppd killed -> LCP echo failure detected -> redial with backoff -> up again";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var modem = lab.M0;
        var before = await Steps.OnlineAsync(lab, modem, ct);
        var offset = new FileInfo(lab.GatewayLog).Length;
        var killed = lab.Now;
        await lab.StepAsync($"isp-kill {modem.Isp.Name}", ct);
        try
        {
            var down = await lab.WaitForDeviceAsync(modem, "out of online", d => !d.IsOnline || d.Connects > before.Connects, TimeSpan.FromMinutes(2), ct);
            run.Figure("ISP killed -> the gateway sees the call end", lab.Now - killed);
            lab.Detail(down.ToString());
        }
        finally
        {
            // The ISP is back in service once the gateway has seen the drop; its redial finds it.
            await lab.StepAsync($"isp-restore {modem.Isp.Name}", ct);
        }

        var after = await lab.WaitForDeviceAsync(modem, "online again", d => d.IsOnline, Steps.UpTimeout, ct);
        run.Figure("ISP killed -> m0 online again", lab.Now - killed);
        lab.Detail(after.ToString());
        var log = await Steps.GatewayLogSinceAsync(lab, offset);
        run.Check(log.Contains("stopped answering LCP echo", StringComparison.Ordinal) || log.Contains("No response to", StringComparison.Ordinal),
            "the dead peer was found by LCP echo failure", "pppd exit 15 / \"No response to 3 echo-requests\"");
        var retry = log.Split('\n').FirstOrDefault(l => l.Contains($" {before.Id}: ", StringComparison.Ordinal)
            && (l.Contains("next try in", StringComparison.Ordinal) || l.Contains("dialling again in", StringComparison.Ordinal)));
        run.Check(retry is not null, "the gateway redialled after a backoff", retry?.Trim() ?? "no backoff line in the gateway log");
        await Steps.CheckLinkAsync(lab, run, modem, after, byRoutingTable: true, ct);
    }
}

/// <summary>
/// 7 (beyond the issue's six). The network drops the call: the modem says NO CARRIER mid-call and stops carrying
/// data. pppd does not read NO CARRIER (it is not a PPP frame) and the lab's line has no DCD, so the gateway learns
/// it from LCP echo failure, as with a killed ISP, and redials.
/// </summary>
internal sealed class NoCarrier : Scenario
{
    public override int Number => 7;

    public override string Name => "no-carrier";

    public override string Title => "NO CARRIER mid-call -> LCP echo failure detected -> redial -> up again";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var modem = lab.M0;
        var before = await Steps.OnlineAsync(lab, modem, ct);
        var dropped = lab.Now;
        modem.Link!.Simulator.DropCarrier();
        var down = await lab.WaitForDeviceAsync(modem, "out of online", d => !d.IsOnline || d.Connects > before.Connects, TimeSpan.FromMinutes(2), ct);
        run.Figure("NO CARRIER -> the gateway sees the call end", lab.Now - dropped);
        lab.Detail(down.ToString());
        var after = await lab.WaitForDeviceAsync(modem, "online again", d => d.IsOnline, Steps.UpTimeout, ct);
        run.Figure("NO CARRIER -> m0 online again", lab.Now - dropped);
        lab.Detail(after.ToString());
        await Steps.CheckLinkAsync(lab, run, modem, after, byRoutingTable: true, ct);
    }
}

/// <summary>
/// 8. SIGTERM mid-call, as systemd stops the service: the gateway ends pppd (which closes LCP: the modem hangs up),
/// and is gone within its shutdown timeout leaving no pppd, no ppp interface, no route through it, no UUCP lock and
/// no control socket. It stops the gateway, so it runs last.
/// </summary>
internal sealed class Sigterm : Scenario
{
    // GatewayHost.ShutdownTimeout: what the gateway gives itself; the unit's TimeoutStopSec is larger.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    public override int Number => 8;

    public override string Name => "sigterm";

    public override string Title => "SIGTERM to the gateway mid-call -> it exits in time; no pppd, ppp interface, route, lock or socket left";

    public override async Task RunAsync(Lab lab, ScenarioRun run, CancellationToken ct)
    {
        var modem = lab.M0;
        var device = await Steps.OnlineAsync(lab, modem, ct);
        var tty = await lab.TtyOfAsync(modem, ct) ?? throw new InvalidOperationException("m0 has no tty");
        var pppd = await lab.StepAsync($"pppd-pid {LabModem.PppLinkNameOf(device.Id)}", ct);
        var gateway = (await lab.Guest.RunAsync("cat /run/lab-gateway.pid", TimeSpan.FromSeconds(30), ct)).Output.Trim();
        var lockFile = $"/run/lock/LCK..{tty}";
        var locked = (await lab.Guest.RunAsync($"cat {lockFile}", TimeSpan.FromSeconds(30), ct)).Output.Trim();
        var routes = (await lab.Guest.RunAsync("ip route show", TimeSpan.FromSeconds(30), ct)).Output;
        lab.Detail($"before: {device}; {tty}; pppd pid {pppd}; gateway pid {gateway}; {lockFile}: {locked}\n{routes}");
        run.Check(pppd.Length > 0 && locked == pppd, $"mid-call: pppd carries the call on {device.Interface} and holds {lockFile}", $"pppd {pppd}, lock {locked}");
        run.Check(routes.Contains($"dev {device.Interface}", StringComparison.Ordinal), $"mid-call: a route through {device.Interface}");
        var callsBefore = modem.Link?.Simulator.CallState;

        var signalled = lab.Now;
        await lab.Guest.RunAsync($"kill -TERM {gateway}", TimeSpan.FromSeconds(30), ct);
        await lab.WaitAsync("the gateway to exit", ShutdownTimeout + TimeSpan.FromSeconds(15), async () => !await Steps.AliveAsync(lab, gateway, ct), ct);
        var took = lab.Now - signalled;
        run.Figure("SIGTERM -> the gateway exited (as seen through the agent)", took);
        run.Check(took < ShutdownTimeout, "the gateway exited within its shutdown timeout", Lab.Seconds(took));

        // Checked at once: what is left when the gateway is gone is left for good.
        run.Check(!await Steps.AliveAsync(lab, pppd, ct), "pppd is gone", $"pid {pppd}");
        var link = await lab.Guest.RunAsync($"ip link show {device.Interface}", TimeSpan.FromSeconds(30), ct);
        run.Check(!link.Ok, $"{device.Interface} is gone", link.Output.Trim());
        var after = (await lab.Guest.RunAsync("ip route show; nft list tables 2>/dev/null || true", TimeSpan.FromSeconds(30), ct)).Output;
        run.Check(!after.Contains("ppp", StringComparison.Ordinal) && !after.Contains("actorgateway", StringComparison.Ordinal),
            "no route through a ppp interface, no nft table of the gateway's", after.Trim());
        var lockLeft = await lab.Guest.RunAsync($"test ! -e {lockFile}", TimeSpan.FromSeconds(30), ct);
        run.Check(lockLeft.Ok, $"{lockFile} is gone");
        var socket = await lab.Guest.RunAsync("test ! -e /run/actorgateway/control.sock", TimeSpan.FromSeconds(30), ct);
        run.Check(socket.Ok, "the control socket is gone");
        var holders = await lab.StepAsync($"holds {tty}", ct);
        run.Check(holders.Length == 0, $"nothing holds {tty}", holders);
        // The modem face ends the call on pppd's LCP Terminate, after a short pause (ChardevLinkOptions.HangUpAfterTerminate).
        var hungUp = lab.Now;
        while (modem.Link?.Simulator.CallState != ActorGateway.Simulation.CallState.Idle && lab.Now - hungUp < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(100, ct);
        }

        var state = modem.Link?.Simulator.CallState;
        run.Check(state == ActorGateway.Simulation.CallState.Idle, "the modem hung up", $"{callsBefore} -> {state}");
        var log = await Steps.GatewayLogSinceAsync(lab, 0);
        run.Check(log.Contains("Exiting with [ExitCode:0]", StringComparison.Ordinal), "the gateway's shutdown ran to its end (exit code 0)");
    }
}
