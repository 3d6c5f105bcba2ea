// The benchmark builds Linux network namespaces and talks to the gateway over its Unix control socket.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
