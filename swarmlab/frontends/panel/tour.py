"""The panel's pages as a student first meets them, photographed in headless Chromium for notebook 09.

On its first visit the panel (Portainer, or the lab's stand-in) asks for an
admin; the tour creates one with the password it is given, which the notebook
never shows, since it is stored with its outputs. A panel that already has its
admin shows its login form, and the tour stops there: only whoever made the
admin knows that password. With it, a later walk logs in and scales a service
on the Services tab as the lesson does in Portainer, picturing the confirmation
and the cluster after it. Every request outside the manager is refused, so the
pictures show the panel as it is with no internet.
"""

import os
import shutil
from contextlib import contextmanager
from typing import Iterator, Optional
from urllib.parse import urlparse

from ...errors import SwarmlabError

CHROMIUM_ENV = "SWARMLAB_CHROMIUM"
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome")
FRESH = "#live[data-snapshots]:not([data-snapshots='1'])"  # a selector, not a script: the panel's CSP forbids eval
TABS = (
    ("services", "[data-service='core_php-fpm'] [data-replicas]"),
    ("containers", "[data-container^='storage_db']"),
    ("volumes", "[data-volume]"),
    ("visualiser", "#cluster [data-node] [data-service]"),
)


def chromium() -> Optional[str]:
    """A Chromium or Chrome on this machine; None leaves the choice to Playwright's own download."""
    return os.environ.get(CHROMIUM_ENV) or next(filter(None, map(shutil.which, CHROMIUMS)), None)


@contextmanager
def _page(address: str, port: int, wait: float):
    """A page of headless Chromium on the panel's first page, that may ask nothing of any other address."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise SwarmlabError("the panel's pictures need Playwright: pip install 'swarmlab[notebooks]'") from None
    url = f"https://{address}:{port}"
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=chromium(), headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
        except Error:
            raise SwarmlabError(
                "no Chromium to take the panel's pictures: install chromium (or run `playwright "
                f"install chromium`), or open {url} in your browser"
            ) from None
        try:
            context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.route(
                "**/*",
                lambda route: route.continue_() if urlparse(route.request.url).hostname == address else route.abort(),
            )
            try:
                page.goto(url + "/", timeout=wait)
            except Error:
                raise SwarmlabError(
                    f"{url} does not open: is the portainer stack running (%wait portainer_portainer)?"
                ) from None
            yield page
        finally:
            browser.close()


def tour(address: str, password: str, port: int = 9443, timeout: float = 90) -> Iterator[tuple]:
    """(what the picture shows, PNG bytes), page after page."""
    wait = timeout * 1000
    with _page(address, port, wait) as page:
        if not page.url.endswith("/setup"):
            page.wait_for_selector("#login-form", timeout=wait)
            yield "login", page.screenshot(full_page=True)
            return
        page.wait_for_selector("#setup-form", timeout=wait)
        if page.locator("[data-problem='timed_out']").count():
            raise SwarmlabError(
                "the panel's first-visit form has closed (five minutes after the panel started, as Portainer's "
                "does): restart it with `docker service update --force portainer_portainer` and visit it again"
            )
        yield "setup", page.screenshot(full_page=True)
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", password)
        page.fill("input[name=confirm]", password)
        page.click("button[type=submit]")
        # A panel nobody looked at holds an old snapshot: picture the cluster as it is now.
        page.wait_for_selector(FRESH, timeout=wait)
        page.wait_for_selector("[data-stack='portainer']", timeout=wait)
        yield "stacks", page.screenshot(full_page=True)
        for tab, shown in TABS:
            page.click(f"[data-tab={tab}]")
            page.wait_for_selector(shown, timeout=wait)
            yield tab, page.screenshot(full_page=True)


def scale(
    address: str, password: str, service: str, replicas: int, port: int = 9443, timeout: float = 180
) -> Iterator[tuple]:
    """Log in, scale the service from its row on the Services tab, confirm, and picture the cluster once its
    tasks have converged: (what the picture shows, PNG bytes)."""
    wait = timeout * 1000
    with _page(address, port, wait) as page:
        page.wait_for_selector("#login-form", timeout=wait)
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_selector(FRESH, timeout=wait)
        page.click("[data-tab=services]")
        form = page.locator(f"[data-service='{service}'] form[data-act='scale']")
        form.locator("[data-field=replicas]").fill(str(replicas))
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#confirm [data-said]", timeout=wait)
        yield "confirm", page.screenshot(full_page=True)
        page.click("#confirm [data-apply]")
        outcome = page.wait_for_selector("#confirm [data-outcome]", timeout=wait)
        if outcome.get_attribute("data-outcome") != "ok":
            raise SwarmlabError(f"the panel did not scale {service}: {outcome.inner_text()}")
        page.click("#confirm .buttons [data-cancel]")
        page.wait_for_selector(
            f"[data-service='{service}'] [data-replicas]:text-is('{replicas}/{replicas}')", timeout=wait
        )
        yield "scaled", page.screenshot(full_page=True)
        page.click("[data-tab=visualiser]")
        page.wait_for_selector("#cluster [data-node] [data-service]", timeout=wait)
        yield "visualiser", page.screenshot(full_page=True)
