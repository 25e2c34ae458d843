#!/usr/bin/env python3
"""The console's end-to-end test in a real headless Chromium (run by scripts/e2e/console.sh,
which starts `domicile serve` on the PERSONA registry and passes its URL and two tokens).

  console_e2e.py --base URL --token READ_TOKEN --reports-token REPORTS_TOKEN

Signs in with the token through the sign-in form, opens every page, follows a finding of the
check page to its vendor page, changes the as-of date of the services page and sees the
history change, downloads a where CSV and compares it byte for byte with the API's answer
to the same query fetched with the bearer token, switches to Japanese and sees Japanese labels,
signs out (the next page goes to the sign-in form), and is refused every page but the reports
with a `reports` token. On every page, in English and Japanese: form controls are labelled,
tables have header cells, nothing scrolls sideways at 375 px, Tab reaches the navigation with
a visible focus, text contrast passes WCAG 2.1 AA, print hides the navigation. Any console
error or Content-Security-Policy violation in the browser fails it. Exits 1 naming every
failure."""
import argparse
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

import console_browser as cb

# A page not built yet is skipped, loudly, only when it is named here (with the reason).
SKIPPED = {}

FAILURES = []
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def fail(message):
    FAILURES.append(message)
    cb.log(f"  FAIL {message}")


def step(name, fn, *args):
    """Runs one part of the scenario; an exception (an assertion, a Playwright timeout) is a
    failure of that part, and the next part still runs."""
    cb.log(f"==> {name}")
    try:
        fn(*args)
    except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the others
        fail(f"{name}: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")


def check(condition, message):
    if not condition:
        fail(message)
    return condition


class ConsoleWatch:
    """Every console message of type error, every uncaught page error and every CSP
    violation (Chromium reports those as console errors) of the pages of a context.
    `expected(pattern)` allows matching errors for a while (a 403 page's own load is
    reported by Chromium as 'Failed to load resource: … 403')."""

    def __init__(self):
        self.errors = []
        self.allowed = []

    def attach(self, page):
        page.on("console", lambda message: message.type in ("error", "assert") and self.record(
            page, f"console {message.type}: {message.text} ({message.location.get('url') or 'the page'})"))
        page.on("pageerror", lambda error: self.record(page, f"page error: {error}"))
        return page

    def record(self, page, text):
        if any(re.search(pattern, text) for pattern in self.allowed):
            return
        self.errors.append(f"{page.url}: {text}")
        cb.log(f"  FAIL browser {page.url}: {text}")


def api_get(base, path, token):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def open_page(page, name, path):
    """Opens one page; False (and a failure) when it does not answer 200."""
    response = page.goto(path)
    status = response.status if response else None
    return check(status == 200, f"{name} ({path}) answered {status}, not 200")


def visit_every_page(page, phone, lang, token):
    for name, path in cb.PAGES:
        if name in SKIPPED:
            cb.log(f"  SKIPPED {name} ({path}): {SKIPPED[name]}  <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<")
            continue
        cb.log(f"  {lang} {name} {path}")
        if not open_page(page, name, path):
            continue
        html = page.content()
        check(token not in html, f"{name}: the token appears in the page")
        document_lang = page.evaluate("() => document.documentElement.lang")
        check(document_lang == lang, f"{name} ({lang}): <html lang> is {document_lang!r}")
        check(page.locator("h1").count() >= 1, f"{name} ({lang}): no <h1>")
        if lang == "ja":
            nav = page.locator("nav").first.inner_text() if page.locator("nav").count() else ""
            check(bool(CJK.search(nav)), f"{name}: with Accept-Language: ja the navigation is not Japanese: {nav!r}")
            main = page.locator("main").first.inner_text() if page.locator("main").count() else ""
            check(bool(CJK.search(main)), f"{name}: with Accept-Language: ja <main> has no Japanese label")
        for problem in cb.accessibility_problems(page, phone):
            fail(f"{name} ({lang}, {path}): {problem}")


def follow_a_finding(page):
    """From the check page to the vendor page of a finding about a vendor."""
    if not open_page(page, "check", "/check"):
        return
    links = page.locator("main a[href^='/vendors/']")
    if not check(links.count() > 0, "the check page links no finding to a vendor page (/vendors/…)"):
        return
    href = links.first.get_attribute("href")
    vendor = urllib.parse.unquote(href.split("/vendors/", 1)[1].split("?")[0].split("#")[0])
    with page.expect_navigation():
        links.first.click()
    check(urllib.parse.urlsplit(page.url).path == f"/vendors/{urllib.parse.quote(vendor)}",
          f"following the finding's link {href} went to {page.url}")
    check(vendor in page.locator("h1").inner_text() or vendor in page.locator("main").inner_text(),
          f"the vendor page reached from a finding does not name {vendor}")


def as_of_changes_history(page):
    """The services page as of a day before PERSONA started (2020-04-01), then compared with a
    day before the entrustment to tsubame-support started (2021-04-01): the form puts the days
    in the URL, the service is gone before it started, and the changes name what started."""
    if not open_page(page, "services", "/services"):
        return
    check(page.locator("#service-persona").count() == 1, "the services page of today has no #service-persona")
    field = page.locator("#services-as-of")
    if not check(field.count() == 1, "the services page has no as-of field #services-as-of"):
        return
    check(field.get_attribute("type") == "date", "the as-of field is not a date field")
    field.fill("2019-06-01")
    with page.expect_navigation():
        page.locator("#services-show").click()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    check(query.get("as_of") == ["2019-06-01"], f"the as-of form did not put as_of=2019-06-01 in the URL ({page.url}): not bookmarkable")
    check(page.locator("#service-persona").count() == 0, "services as of 2019-06-01 still shows persona, which started on 2020-04-01")
    check(page.locator("#services-none").count() == 1, "services as of 2019-06-01 does not say there is no service (#services-none)")

    page.goto("/services")
    compare = page.locator("#services-compare")
    if not check(compare.count() == 1, "the services page has no compare field #services-compare"):
        return
    compare.fill("2020-06-01")
    with page.expect_navigation():
        page.locator("#services-show").click()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    check(query.get("compare") == ["2020-06-01"], f"the compare form did not put compare=2020-06-01 in the URL ({page.url})")
    started = page.locator("#diff-started")
    if check(started.count() == 1, "comparing today with 2020-06-01 shows no started records (#diff-started)"):
        text = started.inner_text()
        check(any(name in text for name in ("tsubame-support", "Tsubame Support", "persona-support-desk")),
              "comparing today with 2020-06-01 does not list the entrustment to tsubame-support (started 2021-04-01)")


def where_csv_is_the_apis(page, context, base, token):
    """The where form, then its CSV link: the bytes the browser downloads are the API's."""
    if not open_page(page, "where", "/where"):
        return
    country = page.locator("main form [name=country]")
    if check(country.count() == 1, "the where form has no country field (name=country)"):
        if country.evaluate("e => e.tagName") == "SELECT":
            country.select_option("US")
        else:
            country.fill("US")
        with page.expect_navigation():
            page.locator("main form button[type=submit], main form input[type=submit]").first.click()
        check("country=US" in page.url, f"the where form's answer {page.url} does not carry country=US")
    link = page.locator("#where-csv")
    if not check(link.count() >= 1, "the where page has no CSV link (#where-csv)"):
        return
    href = link.first.get_attribute("href")
    path = urllib.parse.urlsplit(urllib.parse.urljoin(page.url, href))
    check(path.path == "/v1/where", f"the CSV link {href} is not the API's /v1/where")
    check("country=US" in path.query, f"the CSV link {href} does not reproduce the query (country=US)")
    try:
        with page.expect_download(timeout=15000) as info:
            link.first.click()
        with open(info.value.path(), "rb") as f:
            downloaded = f.read()
    except Exception as error:  # shown inline instead of downloaded: fetch it with the page's cookies
        cb.log(f"  (the CSV link did not download ({type(error).__name__}); fetching it with the session cookie)")
        downloaded = context.request.get(href).body()
    status, api = api_get(base, path.path + "?" + path.query, token)
    check(status == 200, f"GET {path.path}?{path.query} with the bearer token answered {status}")
    cb.log(f"  downloaded {len(downloaded):,} bytes of CSV, {len(downloaded.splitlines())} lines; the API answered {len(api):,} bytes")
    check(len(downloaded) > 0 and downloaded == api,
          f"the downloaded CSV ({len(downloaded)} bytes) is not the API's answer ({len(api)} bytes) byte for byte")


def switch_to_japanese(page):
    """The language switch turns the labels Japanese, and they stay so on the next page."""
    if not open_page(page, "overview", "/"):
        return
    english_nav = page.locator("nav").first.inner_text()
    switch = page.locator("a[hreflang=ja], a[lang=ja], button[lang=ja], [name=lang][value=ja]")
    if not check(switch.count() >= 1, "no language switch to Japanese (a[hreflang=ja], a[lang=ja] or a lang=ja button)"):
        return
    with page.expect_navigation():
        switch.first.click()
    check(page.evaluate("() => document.documentElement.lang") == "ja", f"after the switch <html lang> is not ja ({page.url})")
    nav = page.locator("nav").first.inner_text()
    check(bool(CJK.search(nav)) and nav != english_nav, f"the navigation is not Japanese after the switch: {nav!r}")
    page.locator("nav a[href]").nth(1).click()
    page.wait_for_load_state()
    check(page.evaluate("() => document.documentElement.lang") == "ja", f"the next page {page.url} is not Japanese any more")
    switch_back = page.locator("a[hreflang=en], a[lang=en], button[lang=en], [name=lang][value=en]")
    if check(switch_back.count() >= 1, "no language switch back to English"):
        with page.expect_navigation():
            switch_back.first.click()
        check(page.evaluate("() => document.documentElement.lang") == "en", "the switch back did not turn the page English")


def session_cookie_is_safe(context, token):
    cookies = context.cookies()
    if not check(len(cookies) >= 1, "signing in set no cookie"):
        return
    for cookie in cookies:
        check(cookie["value"] != token and token not in cookie["value"], f"cookie {cookie['name']} holds the token")
        check(cookie["httpOnly"], f"cookie {cookie['name']} is not HttpOnly")
        check(cookie["sameSite"] == "Strict", f"cookie {cookie['name']} is SameSite={cookie['sameSite']}, not Strict")


def sign_out(page):
    if not open_page(page, "overview", "/"):
        return
    button = page.locator("form[action='/sign-out'] button, form[action='/sign-out'] input[type=submit]")
    if not check(button.count() >= 1, "no sign-out button (a form posting to /sign-out)"):
        return
    with page.expect_navigation():
        button.first.click()
    page.goto("/vendors")
    check(re.search(r"/sign-in(\?|$)", page.url) is not None, f"after signing out /vendors went to {page.url}, not to /sign-in")


def reports_token_is_refused(browser, base, reports_token, watch):
    context = cb.new_context(browser, base)
    page = watch.attach(context.new_page())
    try:
        watch.allowed.append(r"status of 403")  # signing in goes to / first: 403
        cb.sign_in(page, reports_token)
        for name, path in cb.PAGES:
            if name in SKIPPED:
                continue
            response = page.goto(path)
            status = response.status if response else None
            if name in cb.REPORTS_PAGES:
                check(status == 200, f"a reports token on {path} got {status}, not 200")
            else:
                check(status == 403, f"a reports token on {path} got {status}, not 403")
                check(page.locator("h1").count() >= 1, f"the 403 page of {path} has no <h1>")
        watch.allowed.remove(r"status of 403")
        page.goto("/reports")
        nav = page.evaluate(cb.NAV_LINKS)
        check(not any(h.startswith(("/vendors", "/services", "/where", "/countries", "/audit", "/check")) for h in nav),
              f"the navigation offers a reports token pages it may not open: {nav}")
    finally:
        context.close()


def unauthenticated(browser, base, watch):
    """No session: every page goes to the sign-in form; the API still answers 401."""
    context = cb.new_context(browser, base)
    page = watch.attach(context.new_page())
    try:
        for name, path in cb.PAGES:
            if name in SKIPPED:
                continue
            page.goto(path)
            check(re.search(r"/sign-in(\?|$)", urllib.parse.urlsplit(page.url).path + "?") is not None,
                  f"without a session {path} went to {page.url}, not to /sign-in")
        response = context.request.get("/v1/vendors")
        check(response.status == 401, f"without a session /v1/vendors answered {response.status}, not 401")
        page.goto("/sign-in")
        for problem in cb.accessibility_problems(page):
            if "navigation" not in problem and "Tab does not reach" not in problem:
                fail(f"sign-in: {problem}")
        # a wrong token: the form again, no session
        cb.token_field(page).fill("dmc_1_not_a_token")
        watch.allowed.append(r"status of 40[13]")
        page.locator("form button[type=submit], form input[type=submit]").first.click()
        page.wait_for_load_state()
        watch.allowed.remove(r"status of 40[13]")
        page.goto("/vendors")
        check("/sign-in" in page.url, f"a wrong token signed in: /vendors went to {page.url}")
    finally:
        context.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--reports-token", required=True)
    args = parser.parse_args()

    watch = ConsoleWatch()

    def scenario(browser):
        step("without a session", unauthenticated, browser, args.base, watch)
        context = cb.new_context(browser, args.base)
        phone_context = cb.new_context(browser, args.base, viewport=cb.PHONE)
        page = watch.attach(context.new_page())
        phone = watch.attach(phone_context.new_page())
        try:
            step("signing in", cb.sign_in, page, args.token)
            step("the session cookie", session_cookie_is_safe, context, args.token)
            step("signing in at 375 px", cb.sign_in, phone, args.token)
            step("every page, in English", visit_every_page, page, phone, "en", args.token)
            step("a finding to its vendor", follow_a_finding, page)
            step("the services page as of other days", as_of_changes_history, page)
            step("the where CSV beside the API's", where_csv_is_the_apis, page, context, args.base, args.token)
            step("switching to Japanese", switch_to_japanese, page)
        finally:
            context.close()
            phone_context.close()
        # Japanese from Accept-Language, every page again
        context = cb.new_context(browser, args.base, lang="ja")
        phone_context = cb.new_context(browser, args.base, viewport=cb.PHONE, lang="ja")
        page = watch.attach(context.new_page())
        phone = watch.attach(phone_context.new_page())
        try:
            step("signing in (Accept-Language: ja)", cb.sign_in, page, args.token)
            step("signing in at 375 px (Accept-Language: ja)", cb.sign_in, phone, args.token)
            step("every page, in Japanese (Accept-Language: ja)", visit_every_page, page, phone, "ja", args.token)
            step("signing out", sign_out, page)
        finally:
            context.close()
            phone_context.close()
        step("a reports token", reports_token_is_refused, browser, args.base, args.reports_token, watch)

    cb.run(scenario)
    failures = FAILURES + [f"browser: {error}" for error in watch.errors]
    if SKIPPED:
        cb.log("")
        cb.log("!!!!! console end-to-end: pages SKIPPED, not tested: " + ", ".join(f"{k} ({v})" for k, v in SKIPPED.items()))
    if failures:
        print(f"console end-to-end: {len(failures)} failures:", file=sys.stderr)
        for failure in failures:
            print("  - " + failure, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
