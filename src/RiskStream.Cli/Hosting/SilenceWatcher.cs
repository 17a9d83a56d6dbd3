using Microsoft.Extensions.Logging;
using RiskStream.Core.Registry;
using RiskStream.Scenarios.Definitions;
using RiskStream.Scenarios.Engine;

namespace RiskStream.Cli.Hosting;

/// <summary>
/// Reloads the silences file when it changes, so maintenance windows can be declared while the pipeline runs. A file
/// that does not load keeps the previous silences in force and says why in the log.
/// </summary>
internal sealed class SilenceWatcher : IDisposable
{
    private readonly string _path;
    private readonly ParkRegistry _registry;
    private readonly SilenceBook _book;
    private readonly ILogger _log;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _debounce;

    public SilenceWatcher(string path, ParkRegistry registry, SilenceBook book, ILogger log)
    {
        _path = Path.GetFullPath(path);
        _registry = registry;
        _book = book;
        _log = log;

        // Editors write a file in several steps (truncate, write, rename): reload once it has been quiet a moment.
        _debounce = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => _debounce.Change(300, Timeout.Infinite);
        _watcher.Created += (_, _) => _debounce.Change(300, Timeout.Infinite);
        _watcher.Renamed += (_, _) => _debounce.Change(300, Timeout.Infinite);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Loads the file now; true when the silences were replaced.</summary>
    public bool Reload()
    {
        try
        {
            var silences = SilenceLoader.Load(_path, _registry);
            _book.Replace(silences);
            _log.LogInformation("Silences reloaded from {Path}: {Count} ({List})", _path, silences.Count, string.Join("; ", silences.Select(s => $"{s.Site}{(s.Sensor is null ? "" : "/" + s.Sensor)} until {s.Until:u} by {s.DeclaredBy}")));
            return true;
        }
        catch (Exception e) when (e is ScenarioException or IOException)
        {
            _log.LogError("Silences file not reloaded, the previous {Count} silences stay in force: {Reason}", _book.Current.Count, e.Message);
            return false;
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _debounce.Dispose();
    }
}
