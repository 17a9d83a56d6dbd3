using Microsoft.ML;
using RiskStream.Sensors.Features;

namespace RiskStream.Sensors.Models;

/// <summary>A model loaded from the registry and checked: ready to make prediction engines from.</summary>
public sealed class LoadedModel
{
    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly DataViewSchema _schema;

    private LoadedModel(MLContext ml, ITransformer model, DataViewSchema schema, ModelCard card)
    {
        _ml = ml;
        _model = model;
        _schema = schema;
        Card = card;
    }

    public ModelCard Card { get; }

    /// <summary>The trees read out for direct evaluation, when they agree with the prediction engine (else null: the engine serves).</summary>
    public CompiledEnsemble? Compiled { get; private set; }

    /// <summary>Largest model.zip loaded, in bytes.</summary>
    public const long MaxZipBytes = 256L << 20;

    /// <summary>Largest total of a model.zip's entries uncompressed, in bytes: beyond it the archive is a bomb, not a model.</summary>
    public const long MaxUnpackedBytes = 1L << 30;

    /// <summary>Most entries in a model.zip.</summary>
    public const int MaxEntries = 10_000;

    /// <summary>Refuses an archive too large, with too many entries or unpacking past <see cref="MaxUnpackedBytes"/> before ML.NET opens it.</summary>
    private static void CheckArchive(string zipPath, string tag)
    {
        try
        {
            var length = new FileInfo(zipPath).Length;
            if (length > MaxZipBytes)
            {
                throw new ModelRefusedException($"{tag}: {zipPath} is {length:N0} bytes; at most {MaxZipBytes:N0} are loaded");
            }

            using var zip = System.IO.Compression.ZipFile.OpenRead(zipPath);
            if (zip.Entries.Count > MaxEntries)
            {
                throw new ModelRefusedException($"{tag}: {zipPath} has {zip.Entries.Count:N0} entries; at most {MaxEntries:N0}");
            }

            var unpacked = zip.Entries.Sum(e => e.Length);
            if (unpacked > MaxUnpackedBytes)
            {
                throw new ModelRefusedException($"{tag}: {zipPath} unpacks to {unpacked:N0} bytes; at most {MaxUnpackedBytes:N0}");
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ModelRefusedException($"{tag}: {zipPath} does not load: not a readable archive ({e.Message})", e);
        }
    }

    /// <summary>
    /// Loads <c>model.zip</c> and <c>card.json</c> from a version folder and checks them: the card's feature schema must
    /// be the pipeline's, the zip must load, and a smoke prediction (normal operation, and a second-level excursion)
    /// must give finite values (a risk in [0,1]). Anything else is refused with the reason.
    /// </summary>
    public static LoadedModel Load(string folder, string kind)
    {
        var cardPath = Path.Combine(folder, "card.json");
        var zipPath = Path.Combine(folder, "model.zip");
        ModelCard card;
        try
        {
            card = ModelCard.Read(cardPath);
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ModelRefusedException($"{cardPath}: not a readable model card ({e.Message})", e);
        }

        if (card.Version != Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)))
        {
            throw new ModelRefusedException($"{cardPath}: the card says version {card.Version}, the folder is {Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}");
        }

        if (card.Kind != kind)
        {
            throw new ModelRefusedException($"{cardPath}: a {card.Kind} model where a {kind} model is expected");
        }

        if (card.FeatureSchemaHash != FeatureSchema.Hash)
        {
            throw new ModelRefusedException($"{card.Tag}: trained on feature schema {card.FeatureSchemaHash}, the pipeline computes {FeatureSchema.Hash} ({string.Join(",", card.Features.Take(3))}… against {string.Join(",", FeatureSchema.Names.Take(3))}…)");
        }

        CheckArchive(zipPath, card.Tag);
        var ml = new MLContext(card.Seed);
        ITransformer model;
        DataViewSchema schema;
        try
        {
            model = ml.Model.Load(zipPath, out schema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelRefusedException($"{card.Tag}: {zipPath} does not load ({e.GetType().Name}: {e.Message})", e);
        }

        var loaded = new LoadedModel(ml, model, schema, card);
        loaded.Smoke();
        loaded.Compiled = loaded.CompiledIfFaithful();
        return loaded;
    }

    private void Smoke()
    {
        var normal = new float[FeatureSchema.Count];
        normal[10] = 30;
        normal[9] = 1;
        var excursion = (float[])normal.Clone();
        excursion[0] = 2;
        excursion[1] = excursion[2] = excursion[5] = 3;
        excursion[6] = 2;
        try
        {
            var engine = new Engine(_ml.Model.CreatePredictionEngine<FeatureRow, RiskOutput>(_model, _schema), null);
            foreach (var features in new[] { normal, excursion })
            {
                var value = engine.Predict(features);
                if (!double.IsFinite(value) || value is < 0 or > 1)
                {
                    throw new ModelRefusedException($"{Card.Tag}: smoke prediction gave {value}");
                }
            }
        }
        catch (Exception e) when (e is not ModelRefusedException and not OutOfMemoryException)
        {
            throw new ModelRefusedException($"{Card.Tag}: smoke prediction failed ({e.GetType().Name}: {e.Message})", e);
        }
    }

    /// <summary>
    /// The compiled trees, if their probabilities match the prediction engine's within 1e-5 on 500 inputs spread around
    /// normal operation and excursions (seeded): the check that makes serving them safe.
    /// </summary>
    private CompiledEnsemble? CompiledIfFaithful()
    {
        var compiled = CompiledEnsemble.TryCompile(_model);
        if (compiled is null)
        {
            return null;
        }

        var engine = new Engine(_ml.Model.CreatePredictionEngine<FeatureRow, RiskOutput>(_model, _schema), null);
        var random = new Random(7);
        var features = new float[FeatureSchema.Count];
        for (var n = 0; n < 500; n++)
        {
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = (float)(random.NextDouble() < 0.5 ? random.NextDouble() * 0.2 : (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(0, 3)));
            }

            features[0] = random.Next(0, 3);
            features[9] = 1;
            features[10] = random.Next(1, 61);
            if (Math.Abs(compiled.Predict(features) - engine.Predict(features)) > 1e-5)
            {
                return null;
            }
        }

        return compiled;
    }

    /// <summary>A prediction engine for the risk probability (not thread-safe: one per lane).</summary>
    public Engine RiskEngine() => new(Compiled is null ? _ml.Model.CreatePredictionEngine<FeatureRow, RiskOutput>(_model, _schema) : null, Compiled);

    /// <summary>A prediction engine for the fault detector's probability (the same kind of model; not thread-safe: one per lane).</summary>
    public Engine AnomalyEngine() => RiskEngine();

    /// <summary>
    /// One lane's prediction engine: the compiled trees when they were checked faithful, else ML.NET's prediction engine
    /// (its input and output objects reused, so a prediction allocates nothing of ours).
    /// </summary>
    public sealed class Engine(PredictionEngine<FeatureRow, RiskOutput>? engine, CompiledEnsemble? compiled)
    {
        private readonly FeatureRow _input = new();
        private RiskOutput _output = new();

        public double Predict(ReadOnlySpan<float> features)
        {
            if (compiled is not null)
            {
                return compiled.Predict(features);
            }

            features.CopyTo(_input.Features);
            engine!.Predict(_input, ref _output);
            return _output.Probability;
        }
    }

    /// <summary>Writes a trained model into <c>folder</c> (model.zip, card.json).</summary>
    public static void Save(TrainedModel trained, string folder)
    {
        Directory.CreateDirectory(folder);
        trained.Ml.Model.Save(trained.Model, trained.Schema, Path.Combine(folder, "model.zip"));
        trained.Card.Write(Path.Combine(folder, "card.json"));
    }
}
