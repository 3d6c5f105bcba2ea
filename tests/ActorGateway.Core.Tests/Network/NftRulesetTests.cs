using ActorGateway.Core.Network;

namespace ActorGateway.Core.Tests.Network;

public sealed class NftRulesetTests
{
    [Fact]
    public void Create_should_build_the_whole_table_replacing_any_leftover_in_one_transaction()
    {
        var script = NftRuleset.Create(new NatTableSpec("actorgateway", ["eth0"]));

        Assert.Equal(
            """
            add table inet actorgateway
            delete table inet actorgateway
            table inet actorgateway {
            	set uplinks {
            		type ifname
            	}

            	set lan {
            		type ifname
            		elements = { "eth0" }
            	}

            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		iifname @uplinks ct state established,related accept
            		iifname @uplinks counter drop comment "new connections from an uplink are never forwarded"
            		oifname @lan ct state established,related accept
            		iifname != @lan oifname @lan counter drop comment "new connections into the LAN come only from the LAN"
            		oifname @uplinks tcp flags syn / syn,rst tcp option maxseg size set rt mtu
            		iifname @lan oifname @uplinks counter accept
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		oifname @uplinks meta nfproto ipv4 masquerade
            	}
            }

            """.ReplaceLineEndings("\n"),
            script);
    }

    [Fact]
    public void Create_should_leave_out_the_lan_elements_and_the_clamp_when_not_asked()
    {
        var script = NftRuleset.Create(new NatTableSpec("gw2", [], ClampMss: false));

        Assert.Contains("set lan {\n\t\ttype ifname\n\t}", script, StringComparison.Ordinal);
        Assert.DoesNotContain("elements", script, StringComparison.Ordinal);
        Assert.DoesNotContain("maxseg", script, StringComparison.Ordinal);
        Assert.StartsWith("add table inet gw2\ndelete table inet gw2\ntable inet gw2 {", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Uplinks_should_come_and_go_as_set_elements_never_as_rules()
    {
        Assert.Equal("add element inet actorgateway uplinks { \"usb0\", \"ppp0\" }\n", NftRuleset.AddUplinks("actorgateway", ["usb0", "ppp0"]));
        Assert.Equal(
            "add element inet actorgateway uplinks { \"usb0\" }\ndelete element inet actorgateway uplinks { \"usb0\" }\n",
            NftRuleset.RemoveUplink("actorgateway", "usb0"));
        Assert.Equal("add table inet actorgateway\ndelete table inet actorgateway\n", NftRuleset.Delete("actorgateway"));
    }

    [Fact]
    public void CreateWith_should_put_the_current_uplinks_back_into_a_recreated_table()
    {
        var script = NftRuleset.CreateWith(new NatTableSpec("actorgateway", []), ["usb0"]);

        Assert.EndsWith("}\nadd element inet actorgateway uplinks { \"usb0\" }\n", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usb0\"; flush ruleset; \"")]
    [InlineData("")]
    [InlineData("an-interface-name-far-too-long")]
    [InlineData("eth 0")]
    public void It_should_refuse_interface_names_that_could_change_the_script(string name)
    {
        Assert.Throws<ArgumentException>(() => NftRuleset.AddUplinks("actorgateway", [name]));
    }

    [Theory]
    [InlineData("actorgateway", true)]
    [InlineData("ag_2", true)]
    [InlineData("2ag", false)]
    [InlineData("ag-x", false)]
    [InlineData("ag x", false)]
    public void IsValidTableName_should_take_plain_names_only(string name, bool valid)
    {
        Assert.Equal(valid, NftRuleset.IsValidTableName(name));
    }
}
