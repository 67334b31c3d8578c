using ClipSearch.Indexer.Cli;

return await ClipSearchCli.RunAsync(args).ConfigureAwait(false);
