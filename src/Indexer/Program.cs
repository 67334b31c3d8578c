using System.Runtime.InteropServices;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Indexer;

// The engine relaunches this program with the worker verb for its image-decoding processes.
if (DecodeWorker.IsWorkerInvocation(args))
{
    // Ctrl+C reaches the whole process group: the parent stops its workers when it is done with them, and a worker
    // dying first would have its file recorded as a decoder crash.
    using var ignoreInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
    return await DecodeWorker.RunOnStandardStreamsAsync().ConfigureAwait(false);
}

return await ClipSearchCli.RunAsProcessAsync(args).ConfigureAwait(false);
