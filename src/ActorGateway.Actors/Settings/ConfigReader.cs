using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorGateway.Actors.Settings;

/// <summary>
/// Reads typed values from one HOCON object, turning every failure into a
/// <see cref="GatewayConfigException"/> that names the file and the full key, and rejecting keys it does not know.
/// </summary>
public sealed class ConfigReader
{
    private readonly Config _config;

    public ConfigReader(Config config, string source, string path)
    {
        _config = config;
        Source = source;
        Path = path;
    }

    public string Source { get; }

    public string Path { get; }

    public bool Has(string key) => _config.HasPath(key);

    public string Key(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public GatewayConfigException Error(string key, string problem, Exception? inner = null) =>
        new(Source, Key(key), problem, inner);

    public string String(string key, string fallback) => Read(key, fallback, k => ScalarString(k));

    public int Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Read(key, fallback, k =>
        {
            var text = ScalarString(k);
            return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Error(k, $"expected a whole number, got \"{text}\"");
        });
        return value < min || value > max ? throw Error(key, $"must be between {min} and {max}, got {value}") : value;
    }

    public double Double(string key, double fallback, double min, double max)
    {
        var value = Read(key, fallback, k =>
        {
            var text = ScalarString(k);
            return double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
                ? n
                : throw Error(k, $"expected a number, got \"{text}\"");
        });
        return value < min || value > max ? throw Error(key, $"must be between {min} and {max}, got {value}") : value;
    }

    public bool Bool(string key, bool fallback) => Read(key, fallback, k =>
    {
        var text = ScalarString(k).ToLowerInvariant();
        return text switch
        {
            "on" or "true" or "yes" => true,
            "off" or "false" or "no" => false,
            _ => throw Error(k, $"expected on or off, got \"{text}\""),
        };
    });

    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        var value = Read(key, fallback, k =>
        {
            try
            {
                return _config.GetTimeSpan(k, null, allowInfinite: false);
            }
            catch (Exception e) when (e is FormatException or ConfigurationException or OverflowException or ArgumentException or InvalidOperationException)
            {
                throw Error(k, $"expected a duration such as 500ms, 5s or 10m, got \"{ScalarString(k)}\"", e);
            }
        });
        return value <= TimeSpan.Zero ? throw Error(key, $"must be longer than zero, got {value}") : value;
    }

    public IReadOnlyList<string> StringList(string key, IReadOnlyList<string> fallback) => Read(key, fallback, k =>
    {
        var value = _config.GetValue(k);
        if (!IsList(value))
        {
            throw Error(k, "expected a list, e.g. [\"a\", \"b\"]");
        }

        var items = new List<string>();
        foreach (var item in value.GetArray())
        {
            if (!item.IsString())
            {
                throw Error(k, "every item of the list must be a string");
            }

            items.Add(item.GetString());
        }

        return (IReadOnlyList<string>)items;
    });

    /// <summary>The objects of a list of objects, each as a reader with its index in the path.</summary>
    public IReadOnlyList<ConfigReader> ObjectList(string key)
    {
        if (!Has(key))
        {
            return [];
        }

        var value = _config.GetValue(key);
        if (!IsList(value))
        {
            throw Error(key, "expected a list of objects, e.g. [ { id = \"a\", port = \"/dev/ttyUSB0\" } ]");
        }

        var readers = new List<ConfigReader>();
        var index = 0;
        foreach (var item in value.GetArray())
        {
            if (!item.IsObject())
            {
                throw new GatewayConfigException(Source, $"{Key(key)}[{index}]", "expected an object { … }");
            }

            readers.Add(new ConfigReader(new Config(new HoconRoot(item)), Source, $"{Key(key)}[{index}]"));
            index++;
        }

        return readers;
    }

    /// <summary>The object under <paramref name="key"/> as a reader, or null when it is absent.</summary>
    public ConfigReader? Object(string key)
    {
        if (!Has(key))
        {
            return null;
        }

        var value = _config.GetValue(key);
        return value.IsObject()
            ? new ConfigReader(_config.GetConfig(key), Source, Key(key))
            : throw Error(key, "expected an object { … }");
    }

    /// <summary>The keys this object holds.</summary>
    public IReadOnlyCollection<string> Keys =>
        _config.Root?.IsObject() == true ? _config.Root.GetObject().Items.Keys : [];

    /// <summary>Fails on the first key not in <paramref name="known"/>: a misspelled key must not pass silently.</summary>
    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var key in Keys)
        {
            if (!known.Contains(key))
            {
                throw Error(key, $"unknown key (known here: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private T Read<T>(string key, T fallback, Func<string, T> read)
    {
        if (!Has(key))
        {
            return fallback;
        }

        try
        {
            return read(key);
        }
        catch (GatewayConfigException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw Error(key, e.Message, e);
        }
    }

    // HoconValue.IsArray() is false for an empty list, so the shipped `unsolicited = []` would not read as a list.
    // The parser also keeps the blanks before a trailing comment as a literal beside the array.
    private static bool IsList(HoconValue value) =>
        value.Values.Any(e => e.IsArray())
        && value.Values.All(e => e.IsArray() || (e.IsString() && string.IsNullOrWhiteSpace(e.GetString())));

    private string ScalarString(string key)
    {
        var value = _config.GetValue(key);
        if (value.IsObject() || IsList(value))
        {
            throw Error(key, "expected a single value, not an object or a list");
        }

        return value.GetString() ?? string.Empty;
    }
}
