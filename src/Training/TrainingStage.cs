
namespace Pipeline.Training;

public enum TrainingStage
{
    Stage1,
    Stage2,
    Lcmsr,
    /// <summary>IDM (a pixel-space model of its own, <see cref="Idm.IdmTrainer"/>).</summary>
    Idm,
}
