#!/usr/bin/env python3
"""Screenshots of every console page, in English and Japanese, at desktop (1280 px) and phone
(375 px) width, for docs/console.md (run by scripts/generate-console-screenshots, which starts
`domicile serve` on the PERSONA example).

  console_screenshots.py --base URL --token TOKEN --out DIR

Writes DIR/<page>-<lang>-<width>.png (and sign-in-<lang>-<width>.png); a page taller than
--max-height is cut there. A page that does not answer 200 is reported and left out (exit 1)."""
import argparse
import os
import sys

import console_browser as cb

# A page shown with a question rather than as first opened: where, answering one.
SHOWN = {"where": "/where?country=US"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-height", type=int, default=1600)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    missing = []

    def shoot(page, name):
        height = min(page.evaluate("() => document.documentElement.scrollHeight"), args.max_height)
        width = page.viewport_size["width"]
        path = os.path.join(args.out, f"{name}.png")
        page.screenshot(path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height})
        cb.log(f"  {path} ({width}x{height})")

    def scenario(browser):
        for lang in ("en", "ja"):
            for viewport in (cb.DESKTOP, cb.PHONE):
                context = cb.new_context(browser, args.base, viewport=viewport, lang=lang)
                page = context.new_page()
                try:
                    suffix = f"{lang}-{viewport['width']}"
                    page.goto("/sign-in")
                    shoot(page, f"sign-in-{suffix}")
                    cb.sign_in(page, args.token)
                    for name, path in cb.PAGES:
                        path = SHOWN.get(name, path)
                        response = page.goto(path)
                        if not response or response.status != 200:
                            missing.append(f"{name} ({path}, {lang}, {viewport['width']} px): {response.status if response else 'no answer'}")
                            continue
                        shoot(page, f"{name}-{suffix}")
                finally:
                    context.close()

    cb.run(scenario)
    if missing:
        print("console screenshots: pages left out: " + "; ".join(missing), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
