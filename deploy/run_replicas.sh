#!/usr/bin/env sh
# deploy/run_replicas.sh N PORT — N app replicas behind nginx on 127.0.0.1:PORT, in the foreground
# (Ctrl-C stops all). Needs Debian's nginx (apt-get install nginx) and a built database (chiso build).
set -eu
cd "$(dirname "$0")/.."
exec .venv/bin/python -m deploy run "${1:-2}" "${2:-8080}"
