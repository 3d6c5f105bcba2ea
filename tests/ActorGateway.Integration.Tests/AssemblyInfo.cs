// These tests run real ptys, real pppd and a real gateway host, which logs through Serilog's
// static logger: one at a time keeps each test's log its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
