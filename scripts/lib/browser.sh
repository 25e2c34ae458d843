# Headless Chromium and the Japanese fonts the HTML checks render with, from Debian's
# packages, installed when missing (sourced by scripts/e2e/*-html.sh).
#   browser_ensure WHAT     WHAT names the check in the message
browser_ensure() {
    local missing=() sudo=""
    command -v chromium >/dev/null || missing+=(chromium)
    dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
    dpkg -s fonts-ipafont-gothic >/dev/null 2>&1 || missing+=(fonts-ipafont-gothic)
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "installing ${missing[*]} (Debian) for $1" >&2
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    # A fresh machine's package lists may be empty: refresh them first.
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
