using System.Text.Json;
using Pipeline.Models.Configuration;
using Pipeline.Models.Weights;
using TorchSharp.Modules;

namespace Pipeline.Training;

/// <summary>What a resumable checkpoint records besides weights and optimiser state.</summary>
public sealed record CheckpointState(
    string Stage, string Config, string ArchHash, int Step, double ScaleFactor, long EmaUpdates, double ElapsedSeconds, string? Stage1Weights);

/// <summary>
/// A resumable checkpoint folder: <c>trainable.safetensors</c> (the optimised module), <c>ema.safetensors</c>
/// (EMA UNet, stage 2 / LCMSR), <c>optimizer.bin</c> (TorchSharp optimiser state) and <c>state.json</c>.
/// Files are written to a temporary folder that then replaces the previous checkpoint.
/// </summary>
public static class Checkpoint
{
    public static string StatePath(string dir) => Path.Combine(dir, "state.json");

    public static CheckpointState? TryRead(string dir) =>
        File.Exists(StatePath(dir)) ? JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(StatePath(dir))) : null;

    public static void Save(string dir, CheckpointState state, ITrainingObjective objective, OptimizerHelper optimizer)
    {
        var temporary = dir + ".tmp";
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        var config = SrConfig.ByName(state.Config);
        var meta = ModelWeights.Metadata(config, "checkpoint-" + state.Stage.ToLowerInvariant(),
            new Dictionary<string, string> { ["step"] = state.Step.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        SafeTensors.Write(Path.Combine(temporary, "trainable.safetensors"), objective.Trainable.state_dict().Select(kv => (kv.Key, kv.Value)), meta);
        if (objective is SecondStageObjective second)
            SafeTensors.Write(Path.Combine(temporary, "ema.safetensors"), second.EmaUNet.state_dict().Select(kv => (kv.Key, kv.Value)), meta);
        optimizer.save_state_dict(Path.Combine(temporary, "optimizer.bin"));
        File.WriteAllText(StatePath(temporary), JsonSerializer.Serialize(state, new JsonSerializerOptions { WriteIndented = true }));
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.Move(temporary, dir);
    }

    public static void Load(string dir, CheckpointState state, ITrainingObjective objective, OptimizerHelper optimizer)
    {
        var trainable = Path.Combine(dir, "trainable.safetensors");
        ModelWeights.LoadInto(objective.Trainable, SafeTensors.Read(trainable).Entries, trainable);
        if (objective is SecondStageObjective second)
        {
            var ema = Path.Combine(dir, "ema.safetensors");
            ModelWeights.LoadInto(second.EmaUNet, SafeTensors.Read(ema).Entries, ema);
            second.Ema.Updates = state.EmaUpdates;
            second.Model.ScaleFactor = state.ScaleFactor;
        }
        optimizer.load_state_dict(Path.Combine(dir, "optimizer.bin"));
    }
}
