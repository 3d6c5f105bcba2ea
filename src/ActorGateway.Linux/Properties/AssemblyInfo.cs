// The gateway drives Linux ttys, /proc, pppd and netlink; it runs nowhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
