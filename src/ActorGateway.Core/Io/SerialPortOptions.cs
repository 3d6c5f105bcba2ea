namespace ActorGateway.Core.Io;

/// <summary>Flow control on a serial line; the seed guide enables both hardware (RTS/CTS) and software (XON/XOFF).</summary>
public enum FlowControl
{
    None,
    RtsCts,
    XonXoff,
    RtsCtsAndXonXoff,
}

/// <summary>How to open a serial port: path, speed and flow control (the seed's 115200 8N1).</summary>
/// <param name="Path">The tty path, e.g. <c>/dev/ttyUSB0</c>.</param>
/// <param name="BaudRate">Line speed in bits per second.</param>
/// <param name="FlowControl">Flow control to set on the line.</param>
public sealed record SerialPortOptions(string Path, int BaudRate = 115200, FlowControl FlowControl = FlowControl.None);
