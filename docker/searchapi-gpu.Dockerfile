# The Search API on an NVIDIA GPU (docker compose --profile gpu). CUDA 13 + cuDNN 9 runtime base, the .NET runtime
# copied in, ONNX Runtime with its CUDA provider. Large (~4 GB, mostly the CUDA and cuDNN libraries). UNVERIFIED:
# no machine this project is built on has a GPU.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SearchApi -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet

FROM nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates libicu74 && rm -rf /var/lib/apt/lists/*
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && useradd --uid 1654 --create-home app
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /data /models && chown app:app /data /models
USER app
ENV ASPNETCORE_HTTP_PORTS=8080 \
    CLIPSEARCH_STORE=/data/index \
    ClipSearch__Device=cuda
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["dotnet", "ClipSearch.SearchApi.dll"]
