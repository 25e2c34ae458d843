# Playwright for Python (pinned, from PyPI) in a venv kept between runs, driving Debian's
# `chromium` (scripts/lib/browser.sh installs it): Playwright's own browser builds are never
# downloaded. Source it; do not run it.
#   playwright_ensure WHAT     prints the venv's python; WHAT names the check in the message
playwright_version=1.65.2
playwright_ensure() {
    local venv="${DOMICILE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/domicile}/playwright-$playwright_version"
    if ! "$venv/bin/python" -c 'import playwright.sync_api' >/dev/null 2>&1; then
        echo "==> installing Playwright for Python $playwright_version into $venv for $1" >&2
        rm -rf "$venv"
        if ! python3 -m venv "$venv" >/dev/null 2>&1; then
            # Debian's python3 needs python3-venv for ensurepip
            local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
            $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
            rm -rf "$venv"
            python3 -m venv "$venv" >&2
        fi
        PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$venv/bin/pip" install -q "playwright==$playwright_version" >&2
    fi
    echo "$venv/bin/python"
}
