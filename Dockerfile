# RiskStream: multi-stage build; the runtime image is Ubuntu chiseled (no shell, no package manager) and runs as
# the non-root user it defines, by number ($APP_UID, 1654): a kubelet with runAsNonRoot can only verify a numeric user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props RiskStream.sln ./
COPY src/ src/
COPY config/ config/
COPY models/ models/
RUN dotnet publish src/RiskStream.Cli/RiskStream.Cli.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
# A 64 MB generation-0 budget: read from the environment only (docs/benchmarks.md, "Where the time goes").
ENV DOTNET_GCgen0size=0x4000000
USER $APP_UID
EXPOSE 9464
ENTRYPOINT ["dotnet", "riskstream.dll"]
CMD ["run", "--kafka", "kafka:9092"]
