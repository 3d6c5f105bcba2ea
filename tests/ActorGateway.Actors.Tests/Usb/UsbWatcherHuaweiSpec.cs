using ActorGateway.Actors.At;
using ActorGateway.Actors.Devices;
using ActorGateway.Actors.Tests.TestSupport;
using ActorGateway.Actors.Usb;
using ActorGateway.Core.At;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using Akka.Actor;
using Xunit.Abstractions;
using GatewayProtocol = ActorGateway.Actors.Gateway.Gateway;
using UsbId = ActorGateway.Core.Usb.UsbId;

namespace ActorGateway.Actors.Tests.Usb;

/// <summary>The seed guide's Huawei E367: mass storage at first, usb_modeswitch, then a modem with three ttys.</summary>
public sealed class UsbWatcherHuaweiSpec(ITestOutputHelper output) : UsbSpec(output, "rpi1b-huawei-e367-storage")
{
    private const string Rule = """actorgateway.devices = [ { match = { usb-id = "12d1:1506" }, apn = "internet", pin = "1234" } ]""";

    /// <summary>usb_modeswitch "switches" the stick: the tree becomes the modem's, the kernel says remove then add.</summary>
    private void SwitchingWorks(string into = "rpi1b-huawei-e367-modem") => ModeSwitchProcesses.Setup = p =>
    {
        var storage = Sysfs.DevPathOf("1-1.2");
        var removed = Sysfs.RemoveEvents(storage);
        Sysfs.Replace(into);
        Uevents.Push(removed);
        Uevents.Push(Sysfs.AddEvents(Sysfs.DevPathOf("1-1.2")));
        // What it printed for the seed guide: the switch worked, its own check said otherwise.
        p.Say("Look for default devices ...");
        p.Say("Found devices in default mode (1)");
        p.Say("Sending the message returned error -9. Try to continue");
        p.Say("Mode switch has failed. Bye!");
        p.Exit(0);
    };

    [Fact]
    public async Task Watcher_should_switch_the_stick_then_talk_AT_on_its_PCUI_and_dial_on_its_modem_port()
    {
        var huawei = AddModem(HuaweiE367.NewMode, SimCard.ForProfile(HuaweiE367.NewMode, pin: "1234", pinEnabled: true));
        SwitchingWorks();
        Start(Rule);

        // The storage was there at boot: found by reading sysfs, switched with the real database's entry.
        var storage = Await<UsbEvents.DeviceClassified>(e => e.Name == "1-1.2");
        Assert.Equal(UsbDeviceRole.ModeSwitch, storage.Classification.Role);
        Assert.Equal("12d1:1446", storage.Classification.ModeSwitch!.FileName);
        var switched = Await<UsbEvents.ModeSwitched>(e => e.Name == "1-1.2");
        Assert.Equal(new UsbId(0x12d1, 0x1446), switched.From);
        Assert.Equal(new UsbId(0x12d1, 0x1506), switched.To);
        Assert.Equal(ModeSwitchClaim.ClaimsFailure, switched.Report!.Claim); // it said it failed; it had not

        var run = Assert.Single(ModeSwitchProcesses.Specs);
        Assert.Equal("/usr/sbin/usb_modeswitch", run.Program);
        Assert.Equal(["-W", "-D", "-b", "1", "-g", "4", "-v", "12d1", "-p", "1446", "-f"], run.Arguments.Take(11));
        Assert.Contains("HuaweiNewMode=1", run.Arguments[11], StringComparison.Ordinal);

        // ModemManager's port map: protocol 02 (PCUI) is for AT, 01 (modem) for the call; the DIAG port is never chosen.
        var probed = Await<UsbEvents.DeviceProbed>(e => e.Name == "1-1.2");
        Assert.Equal("ttyUSB2", probed.Outcome.AtPort!.Tty);
        Assert.Equal("ttyUSB0", probed.Outcome.DataPort!.Tty);
        Assert.Equal(HuaweiE367.Profile.Imei, probed.Outcome.Imei);
        var added = Await<UsbEvents.ModemAdded>(e => e.Name == "1-1.2");
        Assert.Equal("/dev/ttyUSB2", added.AtPort);
        Assert.Equal("/dev/ttyUSB0", added.DataPort);

        var pppd = await PppdTakesTheLine();
        Assert.Equal("/dev/ttyUSB0", pppd.Spec.Arguments[0]);
        var online = AwaitDevice(d => d.Id == added.DeviceId && d.State == DeviceState.Online, "online");
        Assert.Equal("/dev/ttyUSB2", online.Port);
        Assert.Equal("/dev/ttyUSB0", online.DataPort);
        Assert.Equal(CallState.Connected, huawei.CallState);
        Assert.Contains(huawei.CommandLog, c => c.Port == "ttyUSB0" && c.Line == "ATD*99#");
        Assert.Contains(huawei.CommandLog, c => c.Port == "ttyUSB2" && c.Line.StartsWith("AT+CPIN=", StringComparison.Ordinal));
        Assert.Contains(huawei.PdpContexts, c => c.Apn == "internet");

        // The AT port stays with the conversation during the call: `actorgateway at` still works.
        var answer = await Gateway.Ask<AtChannel.Response>(new GatewayProtocol.SendAt(added.DeviceId, new AtCommand("AT+CSQ", TimeSpan.FromSeconds(3))), TimeSpan.FromSeconds(5));
        Assert.Equal(AtOutcome.Ok, answer.Result.Outcome);
        Assert.Contains(answer.Result.Lines, l => l.StartsWith("+CSQ:", StringComparison.Ordinal));
    }

    [Fact]
    public void Watcher_should_report_a_switch_that_does_not_come_back_and_not_retry_forever()
    {
        // usb_modeswitch runs, but the stick stays a CD-ROM.
        ModeSwitchProcesses.Setup = p =>
        {
            p.Say(" No devices in default mode found. Nothing to do. Bye!");
            p.Exit(0);
        };
        Start(Rule);

        Await<UsbEvents.ModeSwitchFailed>(e => e.Name == "1-1.2", step: TimeSpan.FromSeconds(1));
        AwaitAssert(() =>
        {
            var failed = UsbStatus().Devices.Single(d => d.Name == "1-1.2");
            Assert.Equal(UsbDeviceState.Failed, failed.State);
            Assert.Contains("did not come back in modem mode within 20 s", failed.Detail, StringComparison.Ordinal);
            Assert.Contains("NoDevice", failed.Detail, StringComparison.Ordinal);
        });

        // An hour later: still one run.
        for (var i = 0; i < 60; i++)
        {
            Advance(TimeSpan.FromMinutes(1));
        }

        Settle(Watcher);
        Assert.Single(ModeSwitchProcesses.Specs);
    }

    [Fact]
    public void Watcher_should_stop_switching_a_stick_that_keeps_coming_back_as_storage()
    {
        // The stick re-enumerates, but as storage again, each time.
        SwitchingWorks(into: "rpi1b-huawei-e367-storage");
        Start(Rule);

        var refused = Await<UsbEvents.ModeSwitchFailed>(e => e.Reason.Contains("replug", StringComparison.Ordinal), step: TimeSpan.FromSeconds(1));
        Assert.Contains("tried 2 times", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(2, ModeSwitchProcesses.Specs.Count);
        AwaitAssert(() => Assert.Equal(UsbDeviceState.Failed, UsbStatus().Devices.Single(d => d.Name == "1-1.2").State));
    }

    [Fact]
    public void Watcher_should_say_what_usb_modeswitch_would_silently_ignore_in_a_local_override()
    {
        var logs = CaptureLogs();
        var database = ModeSwitchDatabase.Build("/etc/usb_modeswitch.d",
            [("12d1:1446", "TargetVendor=0x12d1\nTargetProdutList=\"1506\"\nHuaweiNewMode=1\n")], "pack", []);
        SwitchingWorks();
        Start(Rule, database);

        AwaitAssert(() => Assert.Contains(logs.Texts, t => t.Contains("/etc/usb_modeswitch.d/12d1:1446: line 2: unknown key TargetProdutList (did you mean TargetProductList?)", StringComparison.Ordinal)));
        // With no target product, the device coming back as anything else counts; the typo is said again when it is used.
        Await<UsbEvents.ModeSwitched>(e => e.Name == "1-1.2");
        Assert.Contains(logs.Texts, t => t.Contains("usb_modeswitch entry 12d1:1446: line 2: unknown key TargetProdutList", StringComparison.Ordinal));
    }

    [Fact]
    public void Watcher_should_give_a_switched_stick_a_driver_when_none_takes_it()
    {
        AddModem(HuaweiE367.NewMode, SimCard.ForProfile(HuaweiE367.NewMode, pin: "1234", pinEnabled: true));
        SwitchingWorks(into: "rpi1b-huawei-e367-modem-unbound");
        Binder.OnBind = _ =>
        {
            // new_id written: the option driver binds the three interfaces and their ttys appear.
            Sysfs.Replace("rpi1b-huawei-e367-modem");
            Uevents.Push(Sysfs.AddEvents(Sysfs.DevPathOf("1-1.2")).Where(e => e.Subsystem is "tty" or "usb-serial" || e.Action == "bind"));
            return "option";
        };
        Start(Rule);

        var needsDriver = Await<UsbEvents.DeviceClassified>(e => e.Classification.Role == UsbDeviceRole.NeedsDriver);
        Assert.Contains("switched from 12d1:1446", needsDriver.Classification.Reason, StringComparison.Ordinal);
        var added = Await<UsbEvents.ModemAdded>(e => e.Name == "1-1.2");
        Assert.Equal([new UsbId(0x12d1, 0x1506)], Binder.Bound);
        Assert.Equal("/dev/ttyUSB2", added.AtPort);
    }
}
