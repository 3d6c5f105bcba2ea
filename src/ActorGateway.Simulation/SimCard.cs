namespace ActorGateway.Simulation;

/// <summary>Where a SIM stands with its PIN (27.007 §8.3 <c>+CPIN</c> codes).</summary>
public enum SimLockState
{
    /// <summary>No PIN needed, or the PIN was given (<c>READY</c>).</summary>
    Ready,

    /// <summary>Waiting for the PIN (<c>SIM PIN</c>).</summary>
    PinRequired,

    /// <summary>PIN tries used up; waiting for PUK and a new PIN (<c>SIM PUK</c>).</summary>
    PukRequired,

    /// <summary>PUK tries used up too: the card is dead.</summary>
    Blocked,
}

/// <summary>
/// A simulated SIM card. Its PIN and PUK counters live on the card, so they survive a modem reset, a brown-out,
/// an unplug and replug of the same <see cref="ModemSimulator"/> (the modem reboots, the card's EEPROM does not).
/// Only the "PIN was verified" flag is lost when the card loses power.
/// </summary>
public sealed class SimCard
{
    /// <summary>PIN tries a fresh card allows (27.007 §8.65 <c>+CPINR</c> default retries).</summary>
    public const int PinAttempts = 3;

    /// <summary>PUK tries a fresh card allows.</summary>
    public const int PukAttempts = 10;

    private readonly Lock _gate = new();
    private string _pin;
    private bool _pinEnabled;
    private int _pinRetries = PinAttempts;
    private int _pukRetries = PukAttempts;
    private bool _pinVerified;

    public SimCard(string iccid, string imsi, string pin = "1234", string puk = "12345678", bool pinEnabled = false)
    {
        if (!SimIdentifiers.IsValidIccid(iccid))
        {
            throw new ArgumentException($"'{iccid}' is not an ICCID (19 or 20 digits starting with 89).", nameof(iccid));
        }

        if (imsi.Length is < 6 or > 15 || !imsi.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{imsi}' is not an IMSI (6 to 15 digits).", nameof(imsi));
        }

        Iccid = iccid;
        Imsi = imsi;
        _pin = pin;
        Puk = puk;
        _pinEnabled = pinEnabled;
    }

    /// <summary>A card with the profile's default ICCID and IMSI.</summary>
    public static SimCard ForProfile(ModemProfile profile, string pin = "1234", bool? pinEnabled = null) =>
        new(profile.DefaultIccid, profile.DefaultImsi, pin, pinEnabled: pinEnabled ?? profile.DefaultPinEnabled);

    /// <summary>A card whose PIN tries are used up: it asks for the PUK.</summary>
    public static SimCard PukLocked(ModemProfile profile, string puk = "12345678")
    {
        var card = new SimCard(profile.DefaultIccid, profile.DefaultImsi, puk: puk, pinEnabled: true);
        card._pinRetries = 0;
        return card;
    }

    /// <summary>ICC identification (EF_ICCID, ETSI TS 102.221 §13.2).</summary>
    public string Iccid { get; }

    /// <summary>International mobile subscriber identity.</summary>
    public string Imsi { get; }

    /// <summary>The PUK that unblocks the PIN.</summary>
    public string Puk { get; }

    /// <summary>The current PIN (changes when unblocked with the PUK).</summary>
    public string Pin
    {
        get { lock (_gate) { return _pin; } }
    }

    /// <summary>Whether the card asks for its PIN at power-on (<c>+CLCK="SC"</c>).</summary>
    public bool PinEnabled
    {
        get { lock (_gate) { return _pinEnabled; } }
    }

    /// <summary>PIN tries left before the card wants the PUK.</summary>
    public int PinRetriesLeft
    {
        get { lock (_gate) { return _pinRetries; } }
    }

    /// <summary>PUK tries left before the card is dead.</summary>
    public int PukRetriesLeft
    {
        get { lock (_gate) { return _pukRetries; } }
    }

    /// <summary>The card's PIN state as the modem sees it.</summary>
    public SimLockState State
    {
        get
        {
            lock (_gate)
            {
                if (_pukRetries == 0)
                {
                    return SimLockState.Blocked;
                }

                if (_pinRetries == 0)
                {
                    return SimLockState.PukRequired;
                }

                return _pinEnabled && !_pinVerified ? SimLockState.PinRequired : SimLockState.Ready;
            }
        }
    }

    /// <summary>The card lost power (modem reset or unplug): the PIN must be given again; counters stay.</summary>
    internal void PowerCycle()
    {
        lock (_gate)
        {
            _pinVerified = false;
        }
    }

    /// <summary>Checks a PIN; a wrong one burns a try (the third wrong one leaves the card wanting its PUK).</summary>
    internal bool TryPin(string pin)
    {
        lock (_gate)
        {
            if (_pinRetries == 0)
            {
                return false;
            }

            if (pin == _pin)
            {
                _pinRetries = PinAttempts;
                _pinVerified = true;
                return true;
            }

            _pinRetries--;
            return false;
        }
    }

    /// <summary>Unblocks with the PUK and sets a new PIN; a wrong PUK burns a PUK try.</summary>
    internal bool TryPuk(string puk, string newPin)
    {
        lock (_gate)
        {
            if (_pukRetries == 0)
            {
                return false;
            }

            if (puk == Puk)
            {
                _pin = newPin;
                _pinRetries = PinAttempts;
                _pukRetries = PukAttempts;
                _pinVerified = true;
                return true;
            }

            _pukRetries--;
            return false;
        }
    }

    /// <summary>
    /// Turns the PIN lock on or off, as done in a phone's settings: it takes effect at the next power-on
    /// (the seed guide disables it this way before putting the card in a dongle).
    /// </summary>
    public void SetPinLock(bool enabled) => SetPinEnabled(enabled);

    internal void SetPinEnabled(bool enabled)
    {
        lock (_gate)
        {
            _pinEnabled = enabled;
            if (enabled)
            {
                // Enabling the lock needs the PIN, so the card counts as verified for this power cycle.
                _pinVerified = true;
            }
        }
    }
}
