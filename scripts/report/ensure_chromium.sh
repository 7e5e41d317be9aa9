#!/usr/bin/env bash
# Make sure headless Chromium and its WebDriver are installed (the report's browser test needs
# them). Idempotent and silent when both are already there; CI machines start without them.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    SUDO=sudo
else
    SUDO=
fi

echo "Installing chromium and chromium-driver from Debian's packages ..." >&2
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine.
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-liberation libgl1-mesa-dri >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
echo "Installed $(chromium --version 2>/dev/null)" >&2
