namespace ActorGateway.Simulation.At;

/// <summary>The four forms of an extended command (V.250 §5.4.3): action, set, read and test.</summary>
internal enum AtAccess
{
    /// <summary><c>+NAME</c>, or a basic command like <c>E1</c>.</summary>
    Action,

    /// <summary><c>+NAME=args</c>, or <c>Sn=v</c>.</summary>
    Set,

    /// <summary><c>+NAME?</c>, or <c>Sn?</c>.</summary>
    Read,

    /// <summary><c>+NAME=?</c>.</summary>
    Test,
}

/// <summary>One command out of a command line.</summary>
/// <param name="Name">Upper-case name: <c>E</c>, <c>&amp;D</c>, <c>S</c>, <c>D</c>, <c>+CPIN</c>, <c>^ICCID</c>.</param>
/// <param name="Access">Action, set, read or test.</param>
/// <param name="Arguments">Raw arguments: after '=' for extended commands, the dial string for D, the value for Sn=v.</param>
/// <param name="Number">The numeric parameter of a basic command (<c>E1</c> → 1) or the register of <c>Sn</c>.</param>
internal sealed record AtCommand(string Name, AtAccess Access, string Arguments = "", int? Number = null)
{
    public bool IsExtended => Name.Length > 0 && CommandLineParser.IsExtendedPrefix(Name[0]);
}
