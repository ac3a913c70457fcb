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
    args = parser.parse_args()
    driver = make_driver(args.width, args.height)
    try:
        driver.get(args.url)
        wait_app_idle(driver)
        time.sleep(args.wait)
        driver.save_screenshot(args.out)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
