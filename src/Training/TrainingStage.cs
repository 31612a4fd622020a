
namespace Pipeline.Training;

public enum TrainingStage
{
    Stage1,
    Stage2,
    Lcmsr,
}
