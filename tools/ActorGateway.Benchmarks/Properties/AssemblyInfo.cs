// The benchmark drives Linux ptys, wvdial and the gateway, which run nowhere else.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
