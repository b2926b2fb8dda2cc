"""Playwright driving Debian's Chromium: Playwright's own browser download cannot work on the
offices' closed networks, nor here.

Debian's `chromium-headless-shell` first (/usr/bin/chromium-headless-shell, the same Chromium
release as the `chromium` package, built without the browser's window and profile machinery):
it is what Playwright itself runs for headless pages. Measured on the two-core machine
(issue 16): the eight longest page tests took 33–37 s with `chromium` and 25 s with the shell,
and about 40% less processor time, which matters most while the other pytest worker runs.
The full browser is the fallback, and CHROMIUM_PATH=/usr/bin/chromium chooses it."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium-headless-shell")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed (apt-get install chromium-headless-shell)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it: a missing browser there is a failure
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
