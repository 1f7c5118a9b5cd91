#!/usr/bin/env bash
# Install the SPARQL servers that the endpoint tests run against (docs/servers.md):
#   Virtuoso open source and Jena ARQ with a JRE (Debian), Comunica's SPARQL endpoint (npm,
#   pinned in tests/servers/comunica). The Oxigraph server comes with the test extras (PyPI).
# The tests start each server themselves, on 127.0.0.1 only, once per session, and stop it
# at the end; under CI=true a server that is missing fails its tests instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

need=()
command -v virtuoso-t >/dev/null || need+=(virtuoso-opensource)
[ -f /usr/share/java/jena-arq.jar ] || need+=(libapache-jena-java)
command -v java >/dev/null || need+=(default-jre-headless)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Debian's package starts a Virtuoso of its own on the default ports: the tests use their
# own database on free ports, so stop that one (it would listen beyond loopback).
if command -v service >/dev/null && service virtuoso-opensource-7 status >/dev/null 2>&1; then
  service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
fi
if [ ! -x tests/servers/comunica/node_modules/.bin/comunica-sparql-file-http ]; then
  npm ci --prefix tests/servers/comunica --no-audit --no-fund --loglevel=error >/dev/null
fi
