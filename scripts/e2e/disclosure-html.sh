#!/usr/bin/env bash
# End-to-end: the public disclosure of the PERSONA example (`report disclosure --format html`,
# English and Japanese) is a web page of the policy (issue 12), checked in headless Chromium
# (Debian's `chromium`, with fonts-noto-cjk and fonts-ipafont-gothic for Japanese; installed
# with apt-get when missing):
#   - the rendered DOM has no chart (svg), no script, no external asset (only <a href> links
#     leave the file), and its visible text has no provenance (revision, fingerprint, "do not
#     edit"): those are <meta> elements and a comment;
#   - it is semantic (article, section, h1-h3, thead/th scope) and declares a Japanese font
#     fallback stack;
#   - it renders at 375 px and 1280 px wide without a horizontal scroll bar (the page's
#     scrollWidth, measured by Chromium in a frame of that width, is not wider than the
#     frame) and prints to PDF.
# With --update it writes the screenshots docs/images/disclosure-{en,ja}-{375,1280}.png;
# look at them before committing.
set -euo pipefail
cd "$(dirname "$0")/../.."
update=false
[ "${1:-}" = "--update" ] && update=true
admin="$DATABASE_URL"
db="domicile_e2e_disclosure_$$"
work=$(mktemp -d /tmp/domicile-e2e-disclosure.XXXXXX)
chmod 755 "$work"
psql "$admin" -qc "CREATE DATABASE $db"
trap 'psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$admin" "$db")

source scripts/lib/browser.sh
browser_ensure "the disclosure HTML check"

bin="$(swift build --show-bin-path)/domicile"
DATABASE_URL="$url" "$bin" migrate >/dev/null
DATABASE_URL="$url" "$bin" seed --example persona >/dev/null
export SOURCE_DATE_EPOCH=1795856400
fail() { echo "disclosure HTML: $*" >&2; exit 1; }

# PERSONA's policy states no address or representative (APPI Art. 32(1)(i)): the disclosure
# is refused until they are recorded, and written with each gap marked under --allow-findings.
if DATABASE_URL="$url" "$bin" report disclosure --format html --as-of 2026-11-28 -o "$work/refused.html" 2>"$work/refused.err"; then
    fail "the disclosure was written although the organization's address is missing"
fi
grep -q 'organization/assign.address' "$work/refused.err" || fail "the refusal does not name organization/assign.address"
[ ! -e "$work/refused.html" ] || fail "a refused disclosure still wrote its file"

for lang in en ja; do
    page="$work/disclosure-$lang.html"
    DATABASE_URL="$url" "$bin" report disclosure --lang "$lang" --format html --as-of 2026-11-28 --allow-findings -o "$page"
    chromium="chromium --headless --no-sandbox --disable-gpu --hide-scrollbars"
    $chromium --dump-dom "file://$page" 2>/dev/null >"$work/dom-$lang.html"
    python3 - "$work/dom-$lang.html" "$lang" <<'PY' || exit 1
import html.parser, re, sys
path, lang = sys.argv[1], sys.argv[2]
dom = open(path, encoding="utf-8").read()
def fail(message):
    sys.exit(f"disclosure HTML ({lang}): {message}")

class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.skip, self.external = [], [], 0, []
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if tag in ("head", "style", "script", "title"):
            self.skip += 1
        for name in ("src", "srcset", "data", "poster"):
            if a.get(name):
                self.external.append(f"<{tag} {name}={a[name]}>")
        if tag == "link" and a.get("href"):
            self.external.append(f"<link href={a['href']}>")
    def handle_endtag(self, tag):
        if tag in ("head", "style", "script", "title"):
            self.skip -= 1
    def handle_data(self, data):
        if self.skip == 0:
            self.text.append(data)

page = Page()
page.feed(dom)
text = " ".join(page.text)
for tag in ("svg", "script", "img", "iframe", "figure"):
    if tag in page.tags:
        fail(f"has <{tag}>: the public page holds no chart, script or embedded asset")
if page.external:
    fail(f"loads external assets: {page.external}")
if re.search(r"url\(", dom):
    fail("its style fetches a url()")
for needed in ("article", "section", "h1", "h2", "h3", "ul", "table", "thead", "th"):
    if needed not in page.tags:
        fail(f"has no <{needed}>")
for meta in ("domicile:registry-revision", "domicile:as-of", "domicile:sha256"):
    if f'name="{meta}"' not in dom:
        fail(f"has no <meta name={meta}>")
sha = re.search(r'name="domicile:sha256" content="([0-9a-f]{64})"', dom)
if not sha:
    fail("the fingerprint meta holds no SHA-256")
for word in (sha.group(1), "SHA-256", "fingerprint", "revision", "do not edit", "Domicile", "フィンガープリント", "リビジョン",
             "RUL", "ORG-1", "%", "reviewer", "case number"):
    if word in text:
        fail(f"visible text shows '{word}'")
if '"Noto Sans CJK JP"' not in dom or "IPAGothic" not in dom:
    fail("no Japanese font fallback stack")
if lang == "ja" and re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text.replace("Google Analytics", "")):
    fail("English sentence inside the Japanese page: " + re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}.{0,40}", text).group(0))
PY
    for width in 375 1280; do
        # Headless Chromium's window is at least 500 px wide, so the page is laid out in an
        # iframe of exactly WIDTH px inside a host page; the framed page reports its
        # scrollWidth (a horizontal overflow makes it wider than the frame) by postMessage.
        height=$([ "$width" = 375 ] && echo 7400 || echo 4300)
        cp "$page" "$work/framed-$lang.html"
        printf '%s\n' '<script>parent.postMessage(document.documentElement.scrollWidth + "/" + window.innerWidth, "*");</script>' \
            >>"$work/framed-$lang.html"
        host() {  # host FRAMED-PAGE
            printf '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;background:#eaeef2}iframe{display:block;width:%spx;height:%spx;border:0;background:#fff}</style></head><body><iframe src="%s"></iframe><script>addEventListener("message", e => { document.title = "W" + e.data; });</script></body></html>\n' "$width" "$height" "$1"
        }
        host "framed-$lang.html" >"$work/measure-$lang-$width.html"
        measured=$($chromium --window-size="$((width < 500 ? 500 : width)),$height" --virtual-time-budget=5000 --dump-dom \
            "file://$work/measure-$lang-$width.html" 2>/dev/null | sed -n 's:.*<title>W\([0-9]*\)/\([0-9]*\)</title>.*:\1 \2:p')
        read -r scroll inner <<<"$measured" || true
        [ -n "${inner:-}" ] || fail "$lang at $width px: Chromium measured nothing"
        [ "$inner" -eq "$width" ] || fail "$lang at $width px: the frame is $inner px wide"
        [ "$scroll" -le "$width" ] || fail "$lang at $width px: the page is $scroll px wide (horizontal scrolling)"
        host "disclosure-$lang.html" >"$work/shot-$lang-$width.html"
        shot="$work/disclosure-$lang-$width.png"
        $chromium --window-size="$((width < 500 ? 500 : width)),$height" --screenshot="$shot" "file://$work/shot-$lang-$width.html" >/dev/null 2>&1
        [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "no PNG screenshot ($lang, $width px)"
        [ "$(stat -c %s "$shot")" -gt 20000 ] || fail "the $lang screenshot at $width px is nearly empty"
        $update && cp "$shot" "docs/images/disclosure-$lang-$width.png"
        echo "  $lang at $width px: laid out $scroll px wide in a $inner px frame" >&2
    done
    $chromium --print-to-pdf="$work/disclosure-$lang.pdf" --no-pdf-header-footer "file://$page" >/dev/null 2>&1
    [ "$(head -c 5 "$work/disclosure-$lang.pdf")" = "%PDF-" ] || fail "$lang does not print to PDF"
done
$update && echo "wrote docs/images/disclosure-{en,ja}-{375,1280}.png: look at them before committing"
echo "disclosure HTML end-to-end: ok (en, ja; 375 and 1280 px; printed to PDF)"
