"""What the console's browser scripts share (scripts/lib/console_e2e.py, the end-to-end test, and
scripts/lib/console_screenshots.py): Debian's headless `chromium` driven by Playwright for Python
(never a browser build of Playwright's own), the console's pages, signing in, and the
accessibility checks a test can make from computed styles.

Run with the Python of the venv scripts/lib/playwright.sh makes."""
import re
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"

# The console's pages: (name, path). The vendor and country pages are PERSONA's.
PAGES = [
    ("overview", "/"),
    ("vendors", "/vendors"),
    ("vendor", "/vendors/aws"),
    ("audit", "/audit"),
    ("services", "/services"),
    ("where", "/where"),
    ("countries", "/countries"),
    ("country", "/countries/US"),
    ("reports", "/reports"),
    ("check", "/check"),
]
# Pages a `reports` token may open; every other page must refuse it.
REPORTS_PAGES = {"reports"}

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def log(message):
    print(message, file=sys.stderr, flush=True)


def launch(playwright):
    # --no-sandbox: the scripts run as root in CI, where Chromium's sandbox refuses to start.
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])


def new_context(browser, base, viewport=DESKTOP, lang="en"):
    """A browser context of its own (its own cookies). `lang` is what Accept-Language asks for."""
    locale = "ja-JP" if lang == "ja" else "en-US"
    return browser.new_context(base_url=base, viewport=viewport, locale=locale,
                               extra_http_headers={"Accept-Language": "ja,en;q=0.5" if lang == "ja" else "en"},
                               accept_downloads=True)


def token_field(page):
    """The sign-in form's token field: the one password (or text) input of the form."""
    field = page.locator("form input[type=password]")
    if field.count() == 0:
        field = page.locator("form input[name=token]")
    if field.count() != 1:
        raise AssertionError(f"the sign-in page at {page.url} has {field.count()} token fields, not one")
    return field


def sign_in(page, token):
    """Signs in through the sign-in form: the browser is redirected there from the overview."""
    page.goto("/")
    if not re.search(r"/sign-in(\?|$)", page.url):
        raise AssertionError(f"an unauthenticated / went to {page.url}, not to /sign-in")
    token_field(page).fill(token)
    with page.expect_navigation():
        page.locator("form button[type=submit], form input[type=submit]").first.click()
    if re.search(r"/sign-in(\?|$)", page.url):
        raise AssertionError(f"signing in with a valid token stayed on {page.url}")


# ------------------------------------------------------------------ accessibility, from the DOM

UNLABELLED_CONTROLS = """() => {
    const bad = [];
    for (const el of document.querySelectorAll('input, select, textarea')) {
        const type = (el.getAttribute('type') || '').toLowerCase();
        if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
        const labelled = (el.labels && Array.from(el.labels).some(l => l.textContent.trim() !== ''))
            || (el.getAttribute('aria-label') || '').trim() !== ''
            || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).some(id => id && document.getElementById(id)
                   && document.getElementById(id).textContent.trim() !== '');
        if (!labelled) bad.push(el.outerHTML.slice(0, 120));
    }
    for (const el of document.querySelectorAll('button')) {
        if (el.textContent.trim() === '' && !(el.getAttribute('aria-label') || '').trim()) bad.push(el.outerHTML.slice(0, 120));
    }
    return bad;
}"""

TABLES_WITHOUT_HEADERS = """() => {
    const bad = [];
    document.querySelectorAll('table').forEach((table, i) => {
        const headers = table.querySelectorAll('th');
        if (headers.length === 0) { bad.push(`table ${i + 1} has no <th>`); return; }
        headers.forEach(th => {
            if (!th.hasAttribute('scope') && !th.closest('thead'))
                bad.push(`table ${i + 1}: <th> without scope outside <thead>: ${th.outerHTML.slice(0, 80)}`);
        });
    });
    return bad;
}"""

HORIZONTAL_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const scroll = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
    if (scroll <= width) return null;
    // name the widest elements that stick out, to say what to fix
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 1 && r.width > 0) {
            let inScroller = false;
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                const o = getComputedStyle(p).overflowX;
                if (o === 'auto' || o === 'scroll' || o === 'hidden') { inScroller = true; break; }
            }
            if (!inScroller) out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} right=${Math.round(r.right)}`);
        }
        if (out.length >= 5) break;
    }
    return {width, scroll, out};
}"""

# WCAG 2.1 contrast of every visible text against the background it is drawn on (the first
# ancestor with an opaque-enough background colour, blended; the canvas is white). Text of at
# least 24 px, or 18.66 px bold, is large: 3:1 is enough for it (WCAG 1.4.3); other text needs
# 4.5:1. Text over a background image is not judged (none is used). SVG text is judged by its
# fill against the page background.
LOW_CONTRAST = """() => {
    const parse = c => {
        const m = c.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
    };
    const blend = (top, under) => {
        const a = top[3];
        return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
    };
    const background = el => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
        }
        let color = [255, 255, 255, 1];
        for (let i = layers.length - 1; i >= 0; i--) color = blend(layers[i], color);
        return color;
    };
    const lum = c => {
        const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
    const bad = [];
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const el = node.parentElement;
        if (!el || seen.has(el)) continue;
        seen.add(el);
        const style = getComputedStyle(el);
        if (style.visibility !== 'visible' || style.display === 'none' || parseFloat(style.opacity) === 0) continue;
        const rect = el.getBoundingClientRect();
        if (rect.width === 0 || rect.height === 0) continue;
        if (el.closest('[aria-hidden=true]')) continue;
        const inSvg = el.closest('svg') !== null;
        let fg = parse(inSvg ? style.fill : style.color);
        if (!fg) continue;
        const bg = background(inSvg ? el.closest('svg') : el);
        fg = blend(fg, bg);
        const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
        const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        const r = ratio(fg, bg);
        if (r < need) bad.push(`${r.toFixed(2)}:1 < ${need}:1 "${node.textContent.trim().slice(0, 40)}" (${el.tagName.toLowerCase()}, ${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')}))`);
    }
    return bad;
}"""

NAV_LINKS = """() => Array.from(document.querySelectorAll('nav a[href]')).map(a => a.getAttribute('href'))"""

FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    return {href: el.getAttribute('href'), tag: el.tagName.toLowerCase(), inNav: el.closest('nav') !== null,
            visible: outline || shadow, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow};
}"""

NAV_DISPLAYED = """() => Array.from(document.querySelectorAll('nav')).filter(n => {
    const s = getComputedStyle(n);
    const r = n.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
}).length"""


def accessibility_problems(page, phone_page=None):
    """The problems a test can see on the page open in `page` (desktop width); with
    `phone_page`, the same URL is also opened at 375 px to look for horizontal scrolling."""
    problems = []
    for control in page.evaluate(UNLABELLED_CONTROLS):
        problems.append(f"a form control without a label: {control}")
    problems.extend(page.evaluate(TABLES_WITHOUT_HEADERS))
    for item in page.evaluate(LOW_CONTRAST):
        problems.append(f"low contrast {item}")
    problems.extend(keyboard_problems(page))
    page.emulate_media(media="print")
    try:
        if page.evaluate(NAV_DISPLAYED) > 0:
            problems.append("the navigation is still shown in print")
    finally:
        page.emulate_media(media="screen")
    if phone_page is not None:
        phone_page.goto(page.url)
        overflow = phone_page.evaluate(HORIZONTAL_OVERFLOW)
        if overflow:
            problems.append(f"scrolls sideways at {PHONE['width']} px: {overflow['scroll']} px wide; sticking out: {', '.join(overflow['out'])}")
    return problems


def keyboard_problems(page):
    """Tab from the top of the page reaches every navigation link, each with a visible focus."""
    links = page.evaluate(NAV_LINKS)
    if not links:
        return ["no navigation links (nav a[href])"]
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    reached, invisible = set(), []
    for _ in range(len(links) + 15):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            continue
        if state["inNav"] and state["href"] is not None:
            reached.add(state["href"])
        if not state["visible"]:
            invisible.append(f"{state['tag']} {state['href'] or ''} (outline {state['outline']}, box-shadow {state['shadow']})")
        if reached >= set(links):
            break
    problems = []
    missing = [link for link in links if link not in reached]
    if missing:
        problems.append(f"Tab does not reach the navigation links {missing}")
    for item in invisible[:3]:
        problems.append(f"no visible focus on {item}")
    return problems


def run(fn):
    """Runs fn(browser) with Chromium started and stopped around it."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            return fn(browser)
        finally:
            browser.close()
