using Pipeline.Silo;

// A pipeline silo. Examples (any key also works as an environment variable, ':' written '__'):
//   pipeline-silo --Orleans:Metadata:role=worker --Orleans:Metadata:gpu.count=1
//   pipeline-silo --Orleans:Clustering:ProviderType=Redis --Orleans:Clustering:ConnectionString=redis:6379
await PipelineSiloApp.Build(PipelineSiloApp.CreateBuilder(args)).RunAsync();
