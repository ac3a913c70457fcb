"""Take headless-Chromium screenshots of pages of a running app (for looking at them).

Usage: python -m scripts.screenshot URL OUT.png [--width 1440] [--height 900] [--wait 6]
"""
from __future__ import annotations

import argparse
import time

from tests.browser.conftest import make_driver
from tests.browser.helpers import wait_app_idle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=6)
    parser.add_argument("--scroll-to", default=None, help="text of a heading to scroll to before the shot")
    args = parser.parse_args()
    driver = make_driver(args.width, args.height)
    try:
        driver.get(args.url)
        wait_app_idle(driver)
        time.sleep(args.wait)
        if args.scroll_to:
            driver.execute_script(
                "for (const h of document.querySelectorAll('h1,h2,h3')) {"
                " if (h.textContent.includes(arguments[0])) { h.scrollIntoView(); break; } }", args.scroll_to)
            time.sleep(1.5)
        driver.save_screenshot(args.out)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
