using Parquet;
using Parquet.Schema;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>
/// The dataset schema as Apache Parquet (Parquet.Net): the same columns as the CSV, typed (<c>ts_ms</c> int64, the
/// strings UTF-8, <c>value</c> double, <c>alarm</c> and <c>event_id</c> int32, <c>hazard</c> boolean, each feature
/// float, named <c>f_</c> + its name), in row groups of up to a million rows, Snappy-compressed. For pandas, polars, Spark or DuckDB users; the
/// file's key-value metadata names the feature schema hash.
/// </summary>
public static class ParquetDataset
{
    private const int RowGroupSize = 1_000_000;

    public const string FeatureSchemaKey = "riskstream.feature_schema";

    private static readonly DataField TsMs = new DataField<long>("ts_ms");
    private static readonly DataField Site = new DataField<string>("site", false);
    private static readonly DataField Sensor = new DataField<string>("sensor", false);
    private static readonly DataField Kind = new DataField<string>("kind", false);
    private static readonly DataField Value = new DataField<double>("value");
    private static readonly DataField Alarm = new DataField<int>("alarm");
    private static readonly DataField Event = new DataField<string>("event", false);
    private static readonly DataField EventId = new DataField<int>("event_id");
    private static readonly DataField Hazard = new DataField<bool>("hazard");
    private static readonly DataField[] Features = FeatureSchema.Names.Select(n => (DataField)new DataField<float>(FeaturePrefix + n)).ToArray();

    /// <summary>Features are <c>f_</c> + their name: Parquet column names are unique, and the leading <c>alarm</c> (the national level) has a feature twin.</summary>
    public const string FeaturePrefix = "f_";
    private static readonly ParquetSchema Schema = new([TsMs, Site, Sensor, Kind, Value, Alarm, Event, EventId, Hazard, .. Features]);

    public static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the rows as they come, a row group per million: the whole dataset is never held at once.</summary>
    public static async Task<long> WriteAsync(IEnumerable<DataRow> rows, string path, CancellationToken cancel = default)
    {
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: cancel).ConfigureAwait(false);
        writer.CustomMetadata = new Dictionary<string, string> { [FeatureSchemaKey] = FeatureSchema.Hash };
        long written = 0;
        foreach (var group in rows.Chunk(RowGroupSize))
        {
            using var rg = writer.CreateRowGroup();
            await rg.WriteAsync<long>(TsMs, group.Select(r => r.TsMs).ToArray(), cancellationToken: cancel).ConfigureAwait(false);
            await rg.WriteAsync(Site, group.Select(r => r.Site).ToArray()).ConfigureAwait(false);
            await rg.WriteAsync(Sensor, group.Select(r => r.Sensor).ToArray()).ConfigureAwait(false);
            await rg.WriteAsync(Kind, group.Select(r => r.Kind).ToArray()).ConfigureAwait(false);
            await rg.WriteAsync<double>(Value, group.Select(r => r.Value).ToArray(), cancellationToken: cancel).ConfigureAwait(false);
            await rg.WriteAsync<int>(Alarm, group.Select(r => r.Alarm).ToArray(), cancellationToken: cancel).ConfigureAwait(false);
            await rg.WriteAsync(Event, group.Select(r => r.Event).ToArray()).ConfigureAwait(false);
            await rg.WriteAsync<int>(EventId, group.Select(r => r.EventId).ToArray(), cancellationToken: cancel).ConfigureAwait(false);
            await rg.WriteAsync<bool>(Hazard, group.Select(r => r.Hazard).ToArray(), cancellationToken: cancel).ConfigureAwait(false);
            for (var f = 0; f < Features.Length; f++)
            {
                await rg.WriteAsync<float>(Features[f], group.Select(r => r.Features[f]).ToArray(), cancellationToken: cancel).ConfigureAwait(false);
            }

            written += group.Length;
        }

        return written;
    }

    /// <summary>Every row of a Parquet dataset; a file without one of the schema's columns (by name) is an error naming it.</summary>
    public static async Task<List<DataRow>> ReadAsync(string path, CancellationToken cancel = default)
    {
        try
        {
            return await ReadRowsAsync(path, cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not (FormatException or FileNotFoundException or DirectoryNotFoundException or OperationCanceledException))
        {
            throw new FormatException($"{path}: not a readable Parquet dataset: {e.Message}", e);
        }
    }

    private static async Task<List<DataRow>> ReadRowsAsync(string path, CancellationToken cancel)
    {
        await using var stream = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancel).ConfigureAwait(false);
        if (reader.CustomMetadata.TryGetValue(FeatureSchemaKey, out var hash) && hash != FeatureSchema.Hash)
        {
            throw new FormatException($"{path}: written with feature schema {hash}; the pipeline computes {FeatureSchema.Hash} (README, Training)");
        }

        var total = Enumerable.Range(0, reader.RowGroupCount).Sum(g => reader.RowGroups[g].RowCount);
        if (total > Dataset.MaxRows)
        {
            throw new FormatException($"{path}: {total:N0} rows; at most {Dataset.MaxRows:N0} are read: train on a sample or a shorter span");
        }

        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        DataField Column(DataField wanted) => !fields.TryGetValue(wanted.Name, out var f)
            ? throw new FormatException($"{path}: no column '{wanted.Name}'; the columns must be those of the dataset schema with the features of feature schema {FeatureSchema.Hash} (README, Training)")
            : f.ClrType != wanted.ClrType || f.IsNullable != wanted.IsNullable
                ? throw new FormatException($"{path}: column '{wanted.Name}' is of another type than the dataset schema's (README, Training)")
                : f;
        var columns = Schema.GetDataFields().Select(Column).ToArray();
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        string Intern(string s) => strings.TryGetValue(s, out var known) ? known : strings[s] = s;
        var rows = new List<DataRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var n = (int)rg.RowCount;
            async Task<T[]> Read<T>(DataField field)
                where T : struct
            {
                var values = new T[n];
                await rg.ReadAsync<T>(field, values, cancellationToken: cancel).ConfigureAwait(false);
                return values;
            }

            async Task<string[]> Text(DataField field)
            {
                var values = new string[n];
                await rg.ReadAsync(field, values, cancellationToken: cancel).ConfigureAwait(false);
                return values;
            }

            var ts = await Read<long>(columns[0]).ConfigureAwait(false);
            var site = await Text(columns[1]).ConfigureAwait(false);
            var sensor = await Text(columns[2]).ConfigureAwait(false);
            var kind = await Text(columns[3]).ConfigureAwait(false);
            var value = await Read<double>(columns[4]).ConfigureAwait(false);
            var alarm = await Read<int>(columns[5]).ConfigureAwait(false);
            var evt = await Text(columns[6]).ConfigureAwait(false);
            var eventId = await Read<int>(columns[7]).ConfigureAwait(false);
            var hazard = await Read<bool>(columns[8]).ConfigureAwait(false);
            var features = new float[Features.Length][];
            for (var f = 0; f < features.Length; f++)
            {
                features[f] = await Read<float>(columns[9 + f]).ConfigureAwait(false);
            }

            for (var i = 0; i < n; i++)
            {
                var row = new float[Features.Length];
                for (var f = 0; f < row.Length; f++)
                {
                    row[f] = features[f][i];
                }

                if (Dataset.Problem(ts[i], value[i], alarm[i], row) is { } problem)
                {
                    throw new FormatException($"{path}: row {rows.Count + 1}: {problem}");
                }

                rows.Add(new DataRow(ts[i], Intern(site[i]), Intern(sensor[i]), Intern(kind[i]), value[i], alarm[i], Intern(evt[i]), eventId[i], hazard[i], row));
            }
        }

        return rows;
    }
}
