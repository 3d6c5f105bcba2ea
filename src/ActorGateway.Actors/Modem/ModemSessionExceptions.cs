namespace ActorGateway.Actors.Modem;

/// <summary>A modem session failed; the device ends the session and starts a new one after a backoff.</summary>
public class ModemSessionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The modem does not answer, even after <c>AT+CFUN=1,1</c>: the device must be recreated (or reset at USB level).</summary>
public sealed class ModemUnresponsiveException(string message) : ModemSessionException(message);

/// <summary>The network did not register the modem in time.</summary>
public sealed class RegistrationTimeoutException(string message) : ModemSessionException(message);

/// <summary>A command the session needs answered something other than OK.</summary>
public sealed class ModemCommandException(string message) : ModemSessionException(message);

/// <summary>No SIM card (27.007 +CME ERROR: 10): retried slowly in case one is inserted.</summary>
public sealed class SimMissingException(string message) : ModemSessionException(message);

/// <summary><c>ATD</c> got no answer at all; the line must be closed (DTR drop hangs up) before trying again.</summary>
public sealed class DialTimeoutException(string message) : ModemSessionException(message);
