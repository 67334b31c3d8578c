# The clipsearch command-line tool (indexing, models pull, categorize, migrate). Final image: the .NET runtime
# (~190 MB; no ASP.NET needed) + the tool (~90 MB, CPU ONNX Runtime); ~280 MB.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Indexer -c Release -o /app --nologo \
 && find /app -name 'libonnxruntime_providers_cuda.so' -delete -o -name 'libonnxruntime_providers_tensorrt.so' -delete

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data /models && chown app:app /data /models
USER app
ENV CLIPSEARCH_STORE=/data/index \
    CLIPSEARCH_MODELS=/models
ENTRYPOINT ["dotnet", "clipsearch.dll"]
# For the --watch service: healthy while the index it writes to answers.
HEALTHCHECK --interval=60s --timeout=20s --start-period=30s --retries=3 CMD ["dotnet", "/app/clipsearch.dll", "collections", "list"]
