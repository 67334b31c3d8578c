using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Indexer;

// The engine relaunches this program with the worker verb for its image-decoding processes.
if (DecodeWorker.IsWorkerInvocation(args))
{
    return await DecodeWorker.RunOnStandardStreamsAsync().ConfigureAwait(false);
}

return await ClipSearchCli.RunAsProcessAsync(args).ConfigureAwait(false);
