"""seeds/: the source report, verbatim, with its provenance."""

from __future__ import annotations

import hashlib

from .conftest import ROOT

REPORT = ROOT / "seeds" / "000_90fbc7d8aeb855ec.txt"


def test_report_is_verbatim() -> None:
    """The seed is byte-for-byte the 开阳县 report (its sha256 is recorded in seeds/README.md)."""
    digest = hashlib.sha256(REPORT.read_bytes()).hexdigest()
    assert digest == "83118c60b423c22681d996f13b64a7f647f35ae35b5b7699992c6c3d10a13b8b"
    assert digest in (ROOT / "seeds" / "README.md").read_text(encoding="utf-8")


def test_report_holds_the_figures_the_profile_uses() -> None:
    """The county profile's 136 村(居) and the 宪法进 list are quoted from the report."""
    text = REPORT.read_text(encoding="utf-8")
    assert "全县136个村(居)法律顾问实现全覆盖" in text
    assert "2024年2月28日" in text
    profile = (ROOT / "campaigns" / "kaiyang" / "county.toml").read_text(encoding="utf-8")
    assert "全县136个村(居)法律顾问实现全覆盖" in profile
