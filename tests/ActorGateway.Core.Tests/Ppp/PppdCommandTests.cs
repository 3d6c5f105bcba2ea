using ActorGateway.Core.Io;
using ActorGateway.Core.Modem;
using ActorGateway.Core.Ppp;

namespace ActorGateway.Core.Tests.Ppp;

public class PppdCommandTests
{
    private const string Password = "s3cr\"et\\pw";

    private static readonly ModemProfile Profile = new()
    {
        Username = "webuser",
        Password = Password,
        BaudRate = 460800,
        Ppp = new PppOptions { LcpEchoInterval = 20, LcpEchoFailure = 4 },
    };

    private static PppdCommand Build(ModemProfile profile) => PppdCommand.Build(profile, "/dev/ttyUSB0", "modem0", "/run/actorgateway");

    private static void AssertOption(IReadOnlyList<string> args, string option, string value)
    {
        var at = args.ToList().IndexOf(option);
        Assert.True(at >= 0, $"{option} missing from: {string.Join(' ', args)}");
        Assert.True(at + 1 < args.Count && args[at + 1] == value, $"{option} is not followed by {value}: {string.Join(' ', args)}");
    }

    [Fact]
    public void PppdCommand_should_start_with_the_tty_and_the_speed()
    {
        var command = Build(Profile);

        Assert.Equal("/usr/sbin/pppd", command.Program);
        Assert.Equal("/dev/ttyUSB0", command.Arguments[0]);
        Assert.Equal("460800", command.Arguments[1]);
    }

    [Fact]
    public void PppdCommand_should_keep_pppd_attached_unauthenticated_and_unlocked()
    {
        var args = Build(Profile).Arguments;

        Assert.Contains("nodetach", args);
        Assert.Contains("noauth", args);
        Assert.Contains("nolock", args);
        AssertOption(args, "logfd", "2");
    }

    [Fact]
    public void PppdCommand_should_tag_the_link_with_the_device_id()
    {
        var args = Build(Profile).Arguments;

        AssertOption(args, "ipparam", "modem0");
        AssertOption(args, "linkname", "ag-modem0");
    }

    [Fact]
    public void PppdCommand_should_pass_the_LCP_echo_settings()
    {
        var args = Build(Profile).Arguments;

        AssertOption(args, "lcp-echo-interval", "20");
        AssertOption(args, "lcp-echo-failure", "4");
    }

    [Fact]
    public void PppdCommand_should_use_modem_control_lines_only_when_the_line_has_them()
    {
        var modem = Build(Profile).Arguments;
        var local = Build(Profile with { ModemControlLines = false }).Arguments;

        Assert.Contains("modem", modem);
        Assert.DoesNotContain("local", modem);
        Assert.Contains("local", local);
        Assert.DoesNotContain("modem", local);
    }

    [Theory]
    [InlineData(FlowControl.RtsCts, new[] { "crtscts" }, new[] { "nocrtscts", "xonxoff" })]
    [InlineData(FlowControl.RtsCtsAndXonXoff, new[] { "crtscts" }, new[] { "nocrtscts" })]
    [InlineData(FlowControl.XonXoff, new[] { "nocrtscts", "xonxoff" }, new[] { "crtscts" })]
    [InlineData(FlowControl.None, new[] { "nocrtscts" }, new[] { "crtscts", "xonxoff" })]
    public void PppdCommand_should_set_flow_control_from_the_profile(FlowControl flow, string[] present, string[] absent)
    {
        var args = Build(Profile with { FlowControl = flow }).Arguments;

        Assert.All(present, option => Assert.Contains(option, args));
        Assert.All(absent, option => Assert.DoesNotContain(option, args));
    }

    [Fact]
    public void PppdCommand_should_add_the_default_route_and_peer_DNS_by_default()
    {
        var args = Build(Profile).Arguments;

        Assert.Contains("defaultroute", args);
        Assert.Contains("usepeerdns", args);
        Assert.Contains("noipdefault", args);
        Assert.DoesNotContain("debug", args);
    }

    [Fact]
    public void PppdCommand_should_leave_routes_and_DNS_alone_when_told()
    {
        var args = Build(Profile with { Ppp = new PppOptions { DefaultRoute = false, UsePeerDns = false, Debug = true } }).Arguments;

        Assert.Contains("nodefaultroute", args);
        Assert.DoesNotContain("defaultroute", args);
        Assert.DoesNotContain("usepeerdns", args);
        Assert.Contains("debug", args);
    }

    [Fact]
    public void PppdCommand_should_append_extra_options_last_and_in_order()
    {
        var args = Build(Profile with { Ppp = new PppOptions { ExtraOptions = ["mtu", "1400", "noipv6"] } }).Arguments;

        Assert.Equal(["mtu", "1400", "noipv6"], args.TakeLast(3));
    }

    [Fact]
    public void PppdCommand_should_never_put_the_credentials_in_the_arguments()
    {
        var command = Build(Profile);

        Assert.DoesNotContain(command.Arguments, a => a.Contains("s3cr", StringComparison.Ordinal));
        Assert.DoesNotContain(command.Arguments, a => a.Contains("webuser", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cr", command.ToString());
        Assert.DoesNotContain("password", command.Arguments);
        Assert.DoesNotContain("user", command.Arguments);
    }

    [Fact]
    public void PppdCommand_should_put_the_credentials_in_a_private_options_file_with_quotes_escaped()
    {
        var command = Build(Profile);

        Assert.Equal("/run/actorgateway/ppp-modem0.options", command.SecretsFile);
        AssertOption(command.Arguments, "file", "/run/actorgateway/ppp-modem0.options");
        Assert.Equal("user \"webuser\"\npassword \"s3cr\\\"et\\\\pw\"\n", command.SecretsContent);
    }

    [Fact]
    public void PppdCommand_should_write_a_secrets_file_for_a_password_without_a_user()
    {
        var command = Build(Profile with { Username = string.Empty, Password = "pw" });

        Assert.Equal("user \"\"\npassword \"pw\"\n", command.SecretsContent);
    }

    [Fact]
    public void PppdCommand_should_write_no_secrets_file_without_credentials()
    {
        var command = Build(Profile with { Username = string.Empty, Password = string.Empty });

        Assert.Null(command.SecretsFile);
        Assert.Null(command.SecretsContent);
        Assert.DoesNotContain("file", command.Arguments);
    }
}
