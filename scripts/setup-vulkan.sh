#!/usr/bin/env bash
# The test set-up's Vulkan driver for the WebGPU parity tests on a machine without a GPU: Mesa's
# lavapipe (a CPU Vulkan implementation) from bookworm-backports. Dawn (npm `webgpu`) rejects
# bookworm's own Mesa 22.3, and accepts the Mesa 25 of backports. The backports suite is added to
# apt's sources only when no source lists it, and the script says so. Elsewhere than Debian 12
# it installs nothing and says why; the parity tests then skip with that reason.
set -euo pipefail
say() { echo "setup-vulkan: $*"; }
icd=/usr/share/vulkan/icd.d/lvp_icd.json
mesa_major() { dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | sed -E 's/^([0-9]+:)?([0-9]+).*/\2/'; }
if [ -f "$icd" ] && dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null | grep -q "install ok installed" && [ "$(mesa_major)" != "" ] && [ "$(mesa_major)" -ge 23 ]; then
  exit 0
fi
if [ "$(. /etc/os-release 2>/dev/null && echo "${ID:-}-${VERSION_CODENAME:-}")" != "debian-bookworm" ]; then
  say "not Debian 12 (bookworm): lavapipe is not installed here; the WebGPU parity tests need a Vulkan driver (a GPU's, or Mesa >= 23's lavapipe)"
  exit 0
fi
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  say "adding bookworm-backports to apt's sources (/etc/apt/sources.list.d/bookworm-backports.sources) for Mesa's lavapipe >= 23"
  printf 'Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' | $sudo tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null
fi
say "installing Mesa's lavapipe (mesa-vulkan-drivers) and libvulkan1 from bookworm-backports"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
