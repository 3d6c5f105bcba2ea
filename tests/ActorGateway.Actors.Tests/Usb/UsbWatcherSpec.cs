using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Uplinks;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.Usb;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using Xunit.Abstractions;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;
using UsbId = ActorGateway.Core.Usb.UsbId;

namespace ActorGateway.Actors.Tests.Usb;

/// <summary>Discovery on the seed guide's Raspberry Pi: plugs, unplugs, brown-outs, lost events, resets.</summary>
public sealed class UsbWatcherSpec(ITestOutputHelper output) : UsbSpec(output, "rpi1b-bare")
{
    private void Plug(string scenario, string name = "1-1.2")
    {
        Sysfs.Replace(scenario);
        Uevents.Push(Sysfs.AddEvents(Sysfs.DevPathOf(name)));
    }

    private void Unplug(string name = "1-1.2", string into = "rpi1b-bare")
    {
        var removed = Sysfs.RemoveEvents(Sysfs.DevPathOf(name));
        Sysfs.Replace(into);
        Uevents.Push(removed);
    }

    [Fact]
    public async Task Watcher_should_bring_a_plugged_in_Nokia_online_the_AT_way_with_no_config_beyond_the_APN()
    {
        var nokia = AddModem(NokiaC2_01.Profile);
        Start();
        // The Pi's own hub and Ethernet are there from the start, and ignored.
        Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.1" && e.Classification.Role == UsbDeviceRole.Ignored);

        Plug("rpi1b-nokia-c2-01");

        var attached = Await<UsbEvents.DeviceAttached>(e => e.Name == "1-1.2");
        Assert.Equal(new UsbId(0x0421, 0x054b), attached.Id);
        Assert.Equal(UsbDeviceRole.Modem, Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.2").Classification.Role);
        var probed = Await<UsbEvents.DeviceProbed>(e => e.Name == "1-1.2");
        Assert.Equal("ttyACM0", probed.Outcome.AtPort!.Tty);
        Assert.Null(probed.Outcome.DataPort);
        Assert.Equal(NokiaC2_01.Profile.Imei, probed.Outcome.Imei);
        var added = Await<UsbEvents.ModemAdded>(e => e.Name == "1-1.2");
        Assert.Equal("/dev/ttyACM0", added.AtPort);
        Assert.Equal("nokia-c2-01-4566", added.DeviceId); // its product name and the end of its IMEI

        var pppd = await PppdTakesTheLine();
        Assert.Equal("/dev/ttyACM0", pppd.Spec.Arguments[0]);
        var online = AwaitDevice(d => d.Id == "nokia-c2-01-4566" && d.State == DeviceState.Online, "online");
        Assert.Equal("Nokia C2-01", online.Model);
        Assert.Contains(nokia.PdpContexts, c => c.Apn == "internet");
    }

    [Fact]
    public void Watcher_should_take_a_modem_out_of_the_gateway_when_it_is_unplugged_while_being_added()
    {
        AddModem(NokiaC2_01.Profile);
        var gateway = CreateTestProbe("gateway");
        Start(gateway: gateway.Ref);
        Plug("rpi1b-nokia-c2-01");
        AdvanceUntil(() => gateway.HasMessages);
        var add = gateway.ExpectMsg<GatewayProtocol.AddDevice>();

        // Unplugged before the gateway said DeviceAdded: the gateway adds it anyway, so it must hear the removal.
        Unplug();
        Await<UsbEvents.DeviceDetached>(e => e.Name == "1-1.2");

        Assert.Equal(add.Device.Id, gateway.ExpectMsg<GatewayProtocol.RemoveDevice>().Id);
    }

    [Fact]
    public void Watcher_should_hand_the_LG_to_tethering_and_withdraw_it_when_unplugged()
    {
        Start();
        Plug("rpi1b-lg-p500");

        var appeared = Await<UplinkEvents.TetheringInterfaceAppeared>();
        Assert.Equal(new UplinkEvents.TetheringInterfaceAppeared("lg-p500-776617", "usb0", "rndis_host"), appeared);
        AwaitAssert(() => Assert.Equal(UsbDeviceState.Tethering, UsbStatus().Devices.Single(d => d.Name == "1-1.2").State));
        Assert.Empty(GatewayStatus().Devices); // no AT, no pppd: the tethering path takes it from here

        Unplug();

        Assert.Equal(new UplinkEvents.TetheringInterfaceGone("lg-p500-776617", "usb0"), Await<UplinkEvents.TetheringInterfaceGone>());
        Await<UsbEvents.DeviceDetached>(e => e.Name == "1-1.2");
    }

    [Fact]
    public async Task Watcher_should_stop_the_modem_when_unplugged_and_close_its_port()
    {
        var nokia = AddModem(NokiaC2_01.Profile);
        Start();
        Plug("rpi1b-nokia-c2-01");
        var added = Await<UsbEvents.ModemAdded>();
        var pppd = await PppdTakesTheLine();
        AwaitDevice(d => d.State == DeviceState.Online, "online");

        nokia.Vanish();
        Unplug();

        Await<UsbEvents.DeviceDetached>(e => e.Name == "1-1.2");
        AwaitAssert(() => Assert.DoesNotContain(GatewayStatus().Devices, d => d.Id == added.DeviceId));
        AwaitAssert(() => Assert.True(pppd.TerminateCalls > 0 || pppd.Killed)); // pppd ended with the device
        Assert.DoesNotContain(UsbStatus().Devices, d => d.Name == "1-1.2");
    }

    [Fact]
    public async Task Watcher_should_give_a_browned_out_modem_its_id_back_by_its_IMEI_whatever_its_ttys_and_port()
    {
        var huawei = AddModem(HuaweiE367.NewMode);
        Start();
        Plug("rpi1b-huawei-e367-modem");
        var first = Await<UsbEvents.ModemAdded>();
        await PppdTakesTheLine();
        AwaitDevice(d => d.Id == first.DeviceId && d.State == DeviceState.Online, "online");

        // The 700 mA brown-out: the stick drops off the bus and comes back in the other socket with ttyUSB3..5
        // (its old ttys were still held when it re-enumerated). No USB serial: only the IMEI says it is the same stick.
        huawei.Vanish();
        Unplug();
        Await<UsbEvents.DeviceDetached>(e => e.Name == "1-1.2");
        AddModem(HuaweiE367.NewMode with
        {
            Ports = [new PortProfile("ttyUSB3", PortRole.Modem), new PortProfile("ttyUSB4", PortRole.Diagnostic), new PortProfile("ttyUSB5", PortRole.At)],
        });
        Plug("rpi1b-huawei-e367-modem-renumbered", "1-1.3");

        var again = Await<UsbEvents.ModemAdded>(e => e.Name == "1-1.3");
        Assert.Equal(first.DeviceId, again.DeviceId);
        Assert.Equal("/dev/ttyUSB5", again.AtPort);
        Assert.Equal("/dev/ttyUSB3", again.DataPort);
        var pppd = await PppdTakesTheLine();
        Assert.Equal("/dev/ttyUSB3", pppd.Spec.Arguments[0]);
        AwaitDevice(d => d.Id == first.DeviceId && d.State == DeviceState.Online && d.Port == "/dev/ttyUSB5", "online again on its new ttys");
    }

    [Fact]
    public void Watcher_should_reset_a_modem_that_does_not_answer_holding_resets_apart_then_report_it_dead()
    {
        var nokia = AddModem(NokiaC2_01.Profile);
        nokia.Faults = nokia.Faults with { Silent = true };
        var resets = new List<DateTimeOffset>();
        Resetter.OnReset = _ => resets.Add(Clock.GetUtcNow());
        Start("actorgateway.usb.reset { min-hold = 10s, max-resets = 3 }");
        Plug("rpi1b-nokia-c2-01");

        var probed = Await<UsbEvents.DeviceProbed>();
        Assert.Null(probed.Outcome.AtPort);
        Assert.Equal(PortVerdictKind.Silent, Assert.Single(probed.Outcome.Verdicts).Kind);

        var dead = Await<UsbEvents.DeviceDead>(step: TimeSpan.FromSeconds(1));
        Assert.Equal(3, resets.Count);
        Assert.All(resets.Zip(resets.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(10), $"resets {p.First:T} and {p.Second:T} are closer than the hold time"));
        Assert.Contains("after 3 USB resets", dead.Reason, StringComparison.Ordinal);
        var shown = AwaitDevice(d => d.State == DeviceState.Dead, "dead");
        Assert.Equal(dead.DeviceId, shown.Id);
        Assert.Contains("replug it", shown.Detail, StringComparison.Ordinal);

        // Nothing more is tried, however long it stays.
        for (var i = 0; i < 30; i++)
        {
            Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, Resetter.Resets.Count);

        // Replugged: its dead entry goes, and it gets a fresh start (now answering, it is named by its IMEI).
        Unplug();
        AwaitAssert(() => Assert.Empty(GatewayStatus().Devices));
        nokia.Faults = nokia.Faults with { Silent = false };
        Plug("rpi1b-nokia-c2-01");
        Assert.Equal("nokia-c2-01-4566", Await<UsbEvents.ModemAdded>().DeviceId);
        Assert.Equal(3, Resetter.Resets.Count);
    }

    [Fact]
    public void Watcher_should_give_a_silent_new_modem_its_boot_time_before_a_USB_reset()
    {
        var nokia = AddModem(NokiaC2_01.Profile);
        nokia.Faults = nokia.Faults with { Silent = true };
        var resets = new List<DateTimeOffset>();
        Resetter.OnReset = _ => resets.Add(Clock.GetUtcNow());
        Start("actorgateway.defaults.timeouts.boot = 30s");
        Plug("rpi1b-nokia-c2-01");
        var probed = Await<UsbEvents.DeviceProbed>();
        var pluggedAt = Clock.GetUtcNow();
        Assert.Null(probed.Outcome.AtPort);

        // Still booting: asked again, not reset.
        Await<UsbEvents.DeviceProbed>(step: TimeSpan.FromSeconds(1));
        AwaitAssert(() => Assert.Equal(UsbDeviceState.Waiting, UsbStatus().Devices.Single(d => d.Name == "1-1.2").State));
        Assert.Empty(resets);

        // It boots after 20 s: added without a reset.
        Advance(TimeSpan.FromSeconds(20) - (Clock.GetUtcNow() - pluggedAt));
        nokia.Faults = nokia.Faults with { Silent = false };
        Assert.Equal("nokia-c2-01-4566", Await<UsbEvents.ModemAdded>(step: TimeSpan.FromSeconds(1)).DeviceId);
        Assert.Empty(resets);
    }

    [Fact]
    public void Watcher_should_reset_a_new_modem_that_stays_silent_only_after_its_boot_time()
    {
        var nokia = AddModem(NokiaC2_01.Profile);
        nokia.Faults = nokia.Faults with { Silent = true };
        var resets = new List<DateTimeOffset>();
        Resetter.OnReset = _ => resets.Add(Clock.GetUtcNow());
        Start("actorgateway.defaults.timeouts.boot = 30s");
        Plug("rpi1b-nokia-c2-01");
        Await<UsbEvents.DeviceProbed>();
        var pluggedAt = Clock.GetUtcNow();

        Await<UsbEvents.DeviceReset>(step: TimeSpan.FromSeconds(1));

        var first = Assert.Single(resets);
        Assert.True(first - pluggedAt >= TimeSpan.FromSeconds(29), $"reset {(first - pluggedAt).TotalSeconds:0.0} s after plug-in, inside its boot time");
    }

    [Fact]
    public async Task Watcher_should_never_reset_a_modem_whose_port_another_program_holds_and_take_it_once_let_go()
    {
        AddModem(NokiaC2_01.Profile);
        // minicom (or ModemManager) has the Nokia's only tty open.
        var minicom = await Modems.Ports.OpenAsync(new Core.Io.SerialPortOptions("/dev/ttyACM0"), CancellationToken.None);
        Start("actorgateway.defaults.timeouts.boot = 30s");
        Plug("rpi1b-nokia-c2-01");

        var probed = Await<UsbEvents.DeviceProbed>();
        Assert.Equal(PortVerdictKind.Unavailable, Assert.Single(probed.Outcome.Verdicts).Kind);
        AwaitAssert(() =>
        {
            var status = UsbStatus().Devices.Single(d => d.Name == "1-1.2");
            Assert.Equal(UsbDeviceState.Waiting, status.State);
            Assert.StartsWith("ttyACM0: device or resource busy", status.Detail, StringComparison.Ordinal); // who, as the opener says it
        });

        // Well past its boot time and the reset hold: still never reset.
        for (var i = 0; i < 12; i++)
        {
            Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Empty(Resetter.Resets);

        await minicom.DisposeAsync();
        Assert.Equal("nokia-c2-01-4566", Await<UsbEvents.ModemAdded>(step: TimeSpan.FromSeconds(1)).DeviceId);
        Assert.Empty(Resetter.Resets);
    }

    [Fact]
    public void Watcher_should_give_a_dead_modem_its_resets_back_when_it_is_replugged_even_if_it_never_answered()
    {
        var nokia = AddModem(NokiaC2_01.Profile);
        nokia.Faults = nokia.Faults with { Silent = true };
        Start("actorgateway.usb.reset { min-hold = 10s, max-resets = 2 }");
        Plug("rpi1b-nokia-c2-01");
        Await<UsbEvents.DeviceDead>(step: TimeSpan.FromSeconds(1));
        Assert.Equal(2, Resetter.Resets.Count);

        // Replugged, still silent: "dead until replugged" is over, it gets its two resets again.
        Unplug();
        Await<UsbEvents.DeviceDetached>(e => e.Name == "1-1.2");
        Plug("rpi1b-nokia-c2-01");

        var dead = Await<UsbEvents.DeviceDead>(step: TimeSpan.FromSeconds(1));
        Assert.Equal(4, Resetter.Resets.Count);
        Assert.Contains("after 2 USB resets", dead.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Watcher_should_reset_a_running_modem_that_stopped_answering_and_bring_it_back()
    {
        AddModem(NokiaC2_01.Profile);
        var identified = CreateTestProbe();
        Sys.EventStream.Subscribe(identified, typeof(DeviceEvents.ModemIdentified));
        Start();
        Plug("rpi1b-nokia-c2-01");
        var added = Await<UsbEvents.ModemAdded>();

        // The gateway's device identifies the modem first: an identification after the give-up below would rightly
        // count as "it answers again" and cancel the reset (a race this spec lost on a loaded machine).
        identified.FishForMessage<DeviceEvents.ModemIdentified>(m => m.DeviceId == added.DeviceId, TimeSpan.FromSeconds(10));

        // Its device gave up after AT+CFUN=1,1 (ModemUnresponsiveException): the USB side takes over.
        Sys.EventStream.Publish(new DeviceEvents.ModemUnresponsive(added.DeviceId, "3 commands unanswered even after AT+CFUN=1,1"));

        var reset = Await<UsbEvents.DeviceReset>();
        Assert.Equal(1, reset.Attempt);
        Assert.Equal(["1-1.2"], Resetter.Resets);
        var back = Await<UsbEvents.ModemAdded>(e => e.Name == "1-1.2");
        Assert.Equal(added.DeviceId, back.DeviceId);
    }

    [Fact]
    public async Task Watcher_should_look_only_once_a_new_device_has_settled()
    {
        AddModem(NokiaC2_01.Profile);
        Start();
        Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.1");
        Sysfs.Replace("rpi1b-nokia-c2-01");
        var events = Sysfs.AddEvents(Sysfs.DevPathOf("1-1.2"));

        Uevents.Push(events.Take(1)); // the device, before its interfaces
        Await<UsbEvents.DeviceAttached>(e => e.Name == "1-1.2");
        Advance(TimeSpan.FromMilliseconds(400));
        Uevents.Push(events.Skip(1)); // its interfaces, drivers and ttys, 400 ms later
        var device = await Sys.ActorSelection("/user/usb/1-1.2-*").ResolveOne(TimeSpan.FromSeconds(3));
        AwaitCondition(() => { Settle(Watcher, device); return true; });
        Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(Events.HasMessages && Events.ReceiveWhile(TimeSpan.FromMilliseconds(50), m => m).OfType<UsbEvents.DeviceClassified>().Any(e => e.Name == "1-1.2"),
            "classified before its events were quiet for the settle time");

        Advance(TimeSpan.FromMilliseconds(1));
        var classified = Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.2", step: TimeSpan.Zero, maxSteps: 100);
        Assert.Equal(["ttyACM0"], classified.Device.Ttys.Select(t => t.Tty));
    }

    [Fact]
    public void Watcher_should_read_sysfs_again_when_the_kernel_dropped_uevents()
    {
        Start();
        Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.1");
        Sysfs.Replace("rpi1b-lg-p500"); // plugged while the socket overflowed: its add never arrives

        Uevents.Overflow();

        Assert.Equal("usb0", Await<UplinkEvents.TetheringInterfaceAppeared>().Interface);
    }

    [Fact]
    public void Watcher_should_leave_a_port_a_static_device_is_configured_on()
    {
        AddModem(NokiaC2_01.Profile);
        Start("""actorgateway.static-devices = [ { id = "phone", port = "/dev/ttyACM0" } ]""");
        Plug("rpi1b-nokia-c2-01");

        var ignored = Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.2");
        AwaitAssert(() => Assert.Contains("belongs to a configured static device", UsbStatus().Devices.Single(d => d.Name == "1-1.2").Detail, StringComparison.Ordinal));
        Assert.Equal(UsbDeviceRole.Modem, ignored.Classification.Role);
        Assert.Equal(["phone"], GatewayStatus().Devices.Select(d => d.Id));
    }

    [Fact]
    public void Watcher_should_leave_a_port_a_static_device_is_configured_on_by_a_by_id_link()
    {
        AddModem(NokiaC2_01.Profile);
        // /dev/serial/by-id/usb-Nokia_C2-01-if00 → ../../ttyACM0, as udev makes it (here in a scratch directory).
        var byId = Directory.CreateTempSubdirectory("by-id-").FullName;
        var link = Path.Combine(byId, "usb-Nokia_C2-01-if00");
        File.CreateSymbolicLink(link, "/dev/ttyACM0");
        try
        {
            Start($$"""actorgateway.static-devices = [ { id = "phone", port = "{{link}}" } ]""");
            Plug("rpi1b-nokia-c2-01");

            Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.2");
            AdvanceUntil(() => UsbStatus().Devices.Single(d => d.Name == "1-1.2").State == UsbDeviceState.Ignored);
            Assert.Contains("belongs to a configured static device", UsbStatus().Devices.Single(d => d.Name == "1-1.2").Detail, StringComparison.Ordinal);
            Assert.Equal(["phone"], GatewayStatus().Devices.Select(d => d.Id));
        }
        finally
        {
            Directory.Delete(byId, recursive: true);
        }
    }

    [Fact]
    public async Task Watcher_should_name_a_device_by_its_rule_and_let_the_SIMs_rule_choose_the_APN()
    {
        var huawei = AddModem(HuaweiE367.NewMode, SimCard.ForProfile(HuaweiE367.NewMode, pin: "1234", pinEnabled: true));
        Start($$"""
            actorgateway.devices = [
              { match = { iccid = "{{HuaweiE367.Profile.DefaultIccid}}" }, apn = "sim.example", pin = "1234" }
              { match = { usb-id = "12d1:1506" }, id = "dongle", apn = "stick.example", pin = "1234" }
            ]
            """);
        Plug("rpi1b-huawei-e367-modem");

        Assert.Equal("dongle", Await<UsbEvents.ModemAdded>().DeviceId);
        await PppdTakesTheLine();
        AwaitDevice(d => d.Id == "dongle" && d.State == DeviceState.Online, "online");
        var context = Assert.Single(huawei.PdpContexts);
        Assert.Equal("sim.example", context.Apn); // the SIM's own rule, chosen once its ICCID was read
    }

    [Fact]
    public void Watcher_should_say_once_that_there_is_no_USB_bus_and_stay_idle()
    {
        Directory.Delete(Path.Combine(Sysfs.Root, "bus"), recursive: true);
        var logs = CaptureLogs();

        Start();

        AwaitAssert(() => Assert.Single(logs.Texts, t => t.Contains("no USB bus", StringComparison.Ordinal)));
        Assert.Equal(0, Uevents.Opens);
        Assert.Empty(UsbStatus().Devices);
    }

    [Fact]
    public void Watcher_should_ignore_a_device_listed_in_usb_ignore()
    {
        Start("""actorgateway.usb.ignore = ["1004:61da"]""");
        Plug("rpi1b-lg-p500");

        Await<UsbEvents.DeviceAttached>(e => e.Name == "1-1.2");
        AdvanceUntil(() => UsbStatus().Devices.Any(d => d is { Name: "1-1.2", State: UsbDeviceState.Ignored }));
        Assert.DoesNotContain(Events.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m), m => m is UplinkEvents.TetheringInterfaceAppeared);
    }
}
