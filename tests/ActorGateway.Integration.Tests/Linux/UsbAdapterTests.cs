using System.Diagnostics;
using ActorGateway.Core.Io;
using ActorGateway.Core.Usb;
using ActorGateway.Core.Usb.ModeSwitch;
using ActorGateway.Linux.Processes;
using ActorGateway.Linux.Serial;
using ActorGateway.Linux.Usb;
using ActorGateway.Simulation;
using ActorGateway.Simulation.Profiles;
using ActorGateway.Simulation.Pty;
using ActorGateway.TestFixtures;
using UsbId = ActorGateway.Core.Usb.UsbId;

namespace ActorGateway.Integration.Tests.Linux;

/// <summary>The USB adapters on the real thing: fixture sysfs trees, the kernel's uevent socket, usb_modeswitch, files, ptys.</summary>
public sealed class UsbAdapterTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SysfsUsbReader_should_read_the_seed_devices_as_the_kernel_lays_them_out()
    {
        var reader = new SysfsUsbReader(SysfsFixture.Scenario("rpi1b-seed"));

        var devices = reader.Enumerate();

        Assert.True(reader.HasUsbBus);
        Assert.Equal(["1-1", "1-1.1", "1-1.2", "1-1.3", "usb1"], devices.Select(d => d.Name));
        Assert.True(devices.Single(d => d.Name == "usb1").IsRootHub);
        var nokia = devices.Single(d => d.Name == "1-1.2");
        Assert.Equal(new UsbId(0x0421, 0x054b), nokia.Id);
        Assert.Equal(("Nokia", "Nokia C2-01", (string?)null), (nokia.Manufacturer, nokia.Product, nokia.Serial));
        Assert.Equal((1, 4), (nokia.BusNumber, nokia.DeviceNumber));
        Assert.Equal("bus/usb/001/004", nokia.DeviceNode);
        Assert.Equal("/devices/platform/soc/20980000.usb/usb1/1-1/1-1.2", nokia.DevPath);
        var acm = nokia.Interfaces.Single(i => i.Number == 1);
        Assert.Equal(("02/02/01", "cdc_acm"), (acm.ClassTriple, acm.Driver));
        Assert.Equal(["ttyACM0"], acm.Ttys);
        Assert.Equal(["usbpn0"], nokia.Interfaces.Single(i => i.Number == 3).NetInterfaces);
        Assert.Null(nokia.Interfaces.Single(i => i.Number == 0).Driver);
        var lg = devices.Single(d => d.Name == "1-1.3");
        Assert.Equal("80A354043114776617", lg.Serial);
        Assert.Equal(["usb0"], lg.Interfaces[0].NetInterfaces);
        Assert.Equal("rndis_host", lg.Interfaces[0].Driver);
        Assert.Equal(["eth0"], devices.Single(d => d.Name == "1-1.1").Interfaces[0].NetInterfaces);
    }

    [Fact]
    public void SysfsUsbReader_should_read_the_switched_sticks_ttys_under_their_usb_serial_ports()
    {
        var root = SysfsFixture.Scenario("rpi1b-huawei-e367-modem");
        var reader = new SysfsUsbReader(root);

        var huawei = reader.Read(SysfsFixture.DevPathOf(root, "1-1.2"))!;

        Assert.Equal(new UsbId(0x12d1, 0x1506), huawei.Id);
        Assert.Equal(["ff/02/01:option:ttyUSB0", "ff/02/03:option:ttyUSB1", "ff/02/02:option:ttyUSB2"],
            huawei.Interfaces.Select(i => $"{i.ClassTriple}:{i.Driver}:{string.Join(',', i.Ttys)}"));
        Assert.Null(reader.Read("/devices/platform/soc/20980000.usb/usb1/1-1/1-1.4"));
    }

    [Fact]
    public void SysfsUsbReader_should_read_the_storage_sticks_SCSI_strings()
    {
        var root = SysfsFixture.Scenario("rpi1b-huawei-e367-storage");
        var reader = new SysfsUsbReader(root);
        var storage = reader.Read(SysfsFixture.DevPathOf(root, "1-1.2"))!;

        Assert.Equal(new ScsiIdentity("HUAWEI", "Mass Storage", "2.31"), reader.ReadScsi(storage));
    }

    [Fact]
    public void SysfsUsbReader_should_say_when_there_is_no_USB_bus()
    {
        var reader = new SysfsUsbReader(_dir.Path);

        Assert.False(reader.HasUsbBus);
        Assert.Empty(reader.Enumerate());
    }

    [RootFact]
    public async Task NetlinkUeventSource_should_hear_the_kernel_add_and_remove_a_network_interface()
    {
        var name = $"agt{Environment.ProcessId % 100000}";
        using var stream = new NetlinkUeventSource().Open();
        try
        {
            // A dummy interface where the kernel has the module; this kernel may not, and a bridge is as good a kobject.
            if (await Ip("link", "add", name, "type", "dummy") != 0)
            {
                Assert.Equal(0, await Ip("link", "add", name, "type", "bridge"));
            }

            var added = await NextFor(stream, name);
            Assert.Equal("add", added.Action);
            Assert.Equal($"/devices/virtual/net/{name}", added.DevPath);
            Assert.Equal("net", added.Subsystem);
            Assert.Equal(name, added.Get("INTERFACE"));
            Assert.NotNull(added.SequenceNumber);
            Assert.NotEqual(0, added.ReceivedAt);
        }
        finally
        {
            await Ip("link", "del", name);
        }

        var removed = await NextFor(stream, name, "remove");
        Assert.Equal($"/devices/virtual/net/{name}", removed.DevPath);
    }

    [Fact]
    public async Task UsbModeSwitchRunner_should_run_the_real_usb_modeswitch_and_report_what_it_said()
    {
        var database = ModeSwitchDatabase.Load(ModeSwitchDatabase.DefaultArchive, overridesDirectory: null);
        var storage = new UsbDevice { Name = "1-1.2", DevPath = "/devices/x/1-1.2", Id = new UsbId(0x12d1, 0x1446), BusNumber = 1, DeviceNumber = 4 };
        var entry = database.Find(ModeSwitchCandidate.From(storage))!;

        // This machine has no USB bus: usb_modeswitch looks for the stick at 001/004, finds nothing and says so.
        var report = await new UsbModeSwitchRunner(new LinuxProcessRunner()).SwitchAsync(storage, entry, CancellationToken.None);

        Assert.Equal(0, report.ExitCode);
        Assert.Equal(ModeSwitchClaim.NoDevice, report.Claim);
        Assert.Contains(report.Lines, l => l.Contains("DefaultVendor=  0x12d1", StringComparison.Ordinal)); // -W echoes what -f gave it
        Assert.Contains(report.Lines, l => l.Contains("HuaweiNewMode=1", StringComparison.Ordinal));
        Assert.Contains(report.Lines, l => l.Contains("001/004", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UsbModeSwitchRunner_should_report_a_program_that_cannot_start()
    {
        var storage = new UsbDevice { Name = "1-1.2", DevPath = "/devices/x/1-1.2", Id = new UsbId(0x12d1, 0x1446), BusNumber = 1, DeviceNumber = 4 };
        var entry = new ModeSwitchEntry("12d1:1446", "test", storage.Id, [], ModeSwitchConfig.Parse("TargetVendor=0x12d1\nTargetProduct=0x1506\nHuaweiNewMode=1"));

        var report = await new UsbModeSwitchRunner(new LinuxProcessRunner(), _dir.File("usb_modeswitch")).SwitchAsync(storage, entry, CancellationToken.None);

        Assert.Equal(ModeSwitchClaim.Error, report.Claim);
        Assert.Contains("not installed", report.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsbDriverBinder_should_give_the_option_driver_the_sticks_id()
    {
        using var sysfs = SysfsFixture.CopyOf("rpi1b-huawei-e367-modem-unbound");
        var huawei = new SysfsUsbReader(sysfs.Root).Read(sysfs.DevPathOf("1-1.2"))!;

        var driver = await new UsbDriverBinder(sysfs.Root, new LinuxProcessRunner()).BindAsync(huawei, CancellationToken.None);

        Assert.Equal("option", driver);
        Assert.Equal("12d1 1506 ff", File.ReadAllText(Path.Combine(sysfs.Root, "bus/usb-serial/drivers/option1/new_id")));
    }

    [Fact]
    public async Task UsbDriverBinder_should_load_the_module_first_and_say_why_when_no_driver_will_take_it()
    {
        using var sysfs = SysfsFixture.CopyOf("rpi1b-huawei-e367-modem-unbound");
        Directory.Delete(Path.Combine(sysfs.Root, "bus/usb-serial/drivers/option1"), recursive: true);
        var huawei = new SysfsUsbReader(sysfs.Root).Read(sysfs.DevPathOf("1-1.2"))!;
        var modprobe = Script("modprobe", $$"""
            #!/bin/sh
            echo "$1" >>"{{_dir.File("modprobed")}}"
            [ "$1" = option ] && mkdir -p "{{sysfs.Root}}/bus/usb-serial/drivers/option1" && : >"{{sysfs.Root}}/bus/usb-serial/drivers/option1/new_id"
            exit 0
            """);

        Assert.Equal("option", await new UsbDriverBinder(sysfs.Root, new LinuxProcessRunner(), modprobe).BindAsync(huawei, CancellationToken.None));
        Assert.Equal("option\n", File.ReadAllText(_dir.File("modprobed")));

        var failing = Script("modprobe-fails", "#!/bin/sh\necho \"modprobe: FATAL: Module $1 not found\" >&2\nexit 1\n");
        Directory.Delete(Path.Combine(sysfs.Root, "bus/usb-serial/drivers/option1"), recursive: true);
        var e = await Assert.ThrowsAsync<UsbAdapterException>(() => new UsbDriverBinder(sysfs.Root, new LinuxProcessRunner(), failing).BindAsync(huawei, CancellationToken.None));
        Assert.Contains("option: modprobe option exited 1: modprobe: FATAL: Module option not found", e.Message, StringComparison.Ordinal);
        Assert.Contains("usbserial:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsbResetter_should_deauthorise_and_reauthorise_when_there_is_no_usbfs_node()
    {
        using var sysfs = SysfsFixture.CopyOf("rpi1b-nokia-c2-01");
        var nokia = new SysfsUsbReader(sysfs.Root).Read(sysfs.DevPathOf("1-1.2"))!;

        var how = await new UsbResetter(sysfs.Root, _dir.Path).ResetAsync(nokia, CancellationToken.None);

        Assert.Contains("de-authorised and re-authorised", how, StringComparison.Ordinal);
        Assert.Contains($"cannot open {_dir.Path}/bus/usb/001/004", how, StringComparison.Ordinal);
        Assert.Equal("1", File.ReadAllText(Path.Combine(sysfs.Root + nokia.DevPath, "authorized")).Trim());
    }

    [Fact]
    public async Task UucpLockFile_should_take_a_free_or_stale_lock_and_name_a_live_holder()
    {
        var tty = _dir.File("ttyUSB0");
        File.WriteAllText(tty, string.Empty);

        var (mine, _) = UucpLockFile.TryAcquire(_dir.Path, tty);
        Assert.NotNull(mine);
        Assert.Equal(UucpLock.Content(Environment.ProcessId), File.ReadAllText(_dir.File("LCK..ttyUSB0")));
        mine.Release();
        Assert.False(File.Exists(_dir.File("LCK..ttyUSB0")));

        using var sleeper = Process.Start("sleep", "30")!;
        File.WriteAllText(_dir.File("LCK..ttyUSB0"), UucpLock.Content(sleeper.Id));
        var (none, holder) = UucpLockFile.TryAcquire(_dir.Path, tty);
        Assert.Null(none);
        Assert.Equal(new TtyHolder(sleeper.Id, "sleep"), holder);
        sleeper.Kill();
        await sleeper.WaitForExitAsync();

        // Its process is gone: the lock is stale and is taken over.
        var (taken, _) = UucpLockFile.TryAcquire(_dir.Path, tty);
        Assert.NotNull(taken);
        taken.Release();
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage\n")]
    [InlineData("         0\n")]
    public void UucpLockFile_should_take_over_a_lock_without_a_pid_once_it_is_older_than_a_write_takes(string content)
    {
        var tty = _dir.File("ttyUSB0");
        File.WriteAllText(tty, string.Empty);
        var lockFile = _dir.File("LCK..ttyUSB0");
        File.WriteAllText(lockFile, content);

        // Just written: its taker may be between creating and filling it.
        var (none, holder) = UucpLockFile.TryAcquire(_dir.Path, tty);
        Assert.Null(none);
        Assert.Equal("another program (lock being written)", holder!.Name);

        // Three seconds on it still holds no PID: stale, as pppd's lock() would take it.
        var (taken, _) = UucpLockFile.TryAcquire(_dir.Path, tty, new Later(TimeSpan.FromSeconds(3)));
        Assert.NotNull(taken);
        Assert.Equal(UucpLock.Content(Environment.ProcessId), File.ReadAllText(lockFile));
        taken.Release();
    }

    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }

    [Fact]
    public async Task LockingSerialPortOpener_should_lock_the_tty_while_open_and_refuse_one_another_program_holds()
    {
        using var nokia = new ModemSimulator(NokiaC2_01.Profile, timeProvider: TimeProvider.System);
        await using var ptys = await PtyModemHost.StartAsync(nokia, _dir.File("dev/"));
        var path = ptys.PathOf(nokia.AtPort);
        var locks = Directory.CreateDirectory(_dir.File("lock")).FullName;
        var opener = new LockingSerialPortOpener(new SystemSerialPortOpener(), locks);
        var lockFile = UucpLockFile.PathFor(locks, path);

        await using (await opener.OpenAsync(new SerialPortOptions(path), CancellationToken.None))
        {
            Assert.Equal(UucpLock.Content(Environment.ProcessId), File.ReadAllText(lockFile));
        }

        Assert.False(File.Exists(lockFile)); // closed: unlocked

        // minicom left running with the port open (the seed guide's Q instead of X): the gateway skips it and says who.
        using var holder = Process.Start(new ProcessStartInfo("sh") { ArgumentList = { "-c", "exec sleep 30 <\"$1\"", "sh", path } })!;
        try
        {
            await WaitUntil(() => TtyHolders.OthersHolding(path).Count > 0);
            var e = await Assert.ThrowsAsync<SerialPortException>(() => opener.OpenAsync(new SerialPortOptions(path), CancellationToken.None));
            Assert.Contains($"held by sleep (pid {holder.Id})", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(lockFile));
        }
        finally
        {
            holder.Kill();
        }
    }

    [Fact]
    public async Task LockingSerialPortOpener_should_refuse_a_second_open_of_a_tty_inside_the_gateway_by_any_name()
    {
        var tty = _dir.File("ttyUSB0");
        File.WriteAllText(tty, string.Empty);
        var byId = _dir.File("usb-HUAWEI_Mobile-if00-port0");
        File.CreateSymbolicLink(byId, tty);
        var locks = Directory.CreateDirectory(_dir.File("lock")).FullName;
        // root's open ignores TIOCEXCL: the line itself would let a second open through.
        var opener = new LockingSerialPortOpener(new SharedOpener(), locks);

        var first = await opener.OpenAsync(new SerialPortOptions(tty), CancellationToken.None);
        var e = await Assert.ThrowsAsync<SerialPortException>(() => opener.OpenAsync(new SerialPortOptions(byId), CancellationToken.None));
        Assert.Contains("already open in this gateway", e.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(UucpLockFile.PathFor(locks, tty))); // the first one's lock stays

        await first.DisposeAsync();
        await using (await opener.OpenAsync(new SerialPortOptions(byId), CancellationToken.None))
        {
        }
    }

    private sealed class SharedOpener : ISerialPortOpener
    {
        public Task<ISerialConnection> OpenAsync(SerialPortOptions options, CancellationToken cancellationToken) =>
            Task.FromResult<ISerialConnection>(new Line(options.Path));

        private sealed class Line(string path) : ISerialConnection
        {
            public string Path => path;

            public ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);

            public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask ReleaseForHandoverAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private string Script(string name, string text)
    {
        var path = _dir.File(name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static async Task<int> Ip(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info)!;
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    private static async Task<Uevent> NextFor(IUeventStream stream, string name, string action = "add")
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var e = await stream.ReceiveAsync(timeout.Token);
            if (e.Action == action && e.DevPath.EndsWith("/net/" + name, StringComparison.Ordinal))
            {
                return e;
            }
        }
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition never held");
            await Task.Delay(20);
        }
    }
}
