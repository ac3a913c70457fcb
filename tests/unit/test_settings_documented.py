"""Every setting the code reads is documented in the README (a setting nobody knows about is a bug)."""
from __future__ import annotations

import re

from lib.core.config import ROOT


def test_every_environment_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = "\n".join(path.read_text(encoding="utf-8") for folder in ("lib", "pages") for path in (ROOT / folder).rglob("*.py"))
    code += (ROOT / "app.py").read_text(encoding="utf-8")
    settings = set(re.findall(r"\b(PRIC_[A-Z_]+)\b", code))
    assert {"PRIC_REGION", "PRIC_DATA_DIR"} <= settings
    missing = sorted(s for s in settings if f"`{s}`" not in readme)
    assert not missing, f"réglages non documentés dans le README : {missing}"
