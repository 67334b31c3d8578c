# The Search API. Build from the repository root: docker build -f docker/searchapi.Dockerfile .
# Final image: the ASP.NET Core runtime (Debian 12 slim, ~220 MB) + the app (~90 MB: ONNX Runtime's CPU library,
# SkiaSharp, SQLite, the bundled tiny model) + curl for the health check; ~320 MB. ONNX Runtime's CUDA
# provider (~400 MB) is left out here; the gpu profile uses searchapi-gpu.Dockerfile.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SearchApi -c Release -o /app --nologo \
 && find /app -name 'libonnxruntime_providers_cuda.so' -delete -o -name 'libonnxruntime_providers_tensorrt.so' -delete

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# The index and models live in volumes; nothing secret is baked in (API keys come from the environment).
RUN mkdir -p /data /models && chown app:app /data /models
USER app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    CLIPSEARCH_STORE=/data/index
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "ClipSearch.SearchApi.dll"]
