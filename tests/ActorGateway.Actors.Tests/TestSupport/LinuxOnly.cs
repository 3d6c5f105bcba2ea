// The USB specs use the Linux adapters (the sysfs reader over fixture trees, the usb_modeswitch runner); the gateway
// runs only on Linux anyway.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
