# syntax=docker/dockerfile:1
# The portal in one image. Build: docker build -t diyml .   (.dockerignore keeps host bin/obj/data out)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/DiyMl.Domain/DiyMl.Domain.csproj src/DiyMl.Domain/
COPY src/DiyMl.Infrastructure/DiyMl.Infrastructure.csproj src/DiyMl.Infrastructure/
COPY src/DiyMl.Web/DiyMl.Web.csproj src/DiyMl.Web/
RUN dotnet restore src/DiyMl.Web/DiyMl.Web.csproj -r linux-x64
COPY src/ src/
RUN dotnet publish src/DiyMl.Web/DiyMl.Web.csproj -c Release -r linux-x64 --self-contained false --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Native libraries of the published output (checked with ldd on every .so under the publish
# folder): all need only libc/libstdc++/libgcc, which the base image has, except LightGBM's
# lib_lightgbm.so, which needs the GNU OpenMP runtime libgomp.so.1. Without it, training a
# LightGBM model fails with DllNotFoundException.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown -R app:app /data
USER app
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Storage__DataDirectory=/data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["dotnet", "DiyMl.Web.dll", "--health-probe"]
ENTRYPOINT ["dotnet", "DiyMl.Web.dll"]
