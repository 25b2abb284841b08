#!/usr/bin/env bash
# Debian packages Nianbao needs (fonts, LibreOffice, Chromium…), installed only where missing.
# Runs as root (CI and developer machines here) or through sudo.
set -euo pipefail
PACKAGES=(
  fonts-wqy-zenhei        # TrueType CJK font: reportlab embeds it in generated test PDFs
  fonts-noto-cjk          # CJK fonts LibreOffice substitutes for 仿宋_GB2312 / 宋体 when it renders PDFs
  libreoffice-writer      # .doc / .wps / .rtf → .docx, and DOCX → PDF fixtures
  libreoffice-calc        # .xls / .et → .xlsx
  nodejs                  # npm installs axe-core for the accessibility tests (tests/a11y/package.json)
  chromium                # Playwright drives Debian's Chromium at /usr/bin/chromium in the browser tests (no browser download offline)
)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
