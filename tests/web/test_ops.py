"""What `tix serve` answers for operators and the world, as the daemon's listener does."""

from __future__ import annotations

import re


def test_health_readiness_and_metrics(web):
    assert web.get("/healthz").text == "ok\n"
    ready = web.get("/readyz")
    assert ready.status_code == 200 and ready.text == "ready\n"
    metrics = web.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE tix_" in metrics.text


def test_an_unknown_ticket_page_says_nothing(web_sqlite):
    for ticket in ("nope", "00000000-0000-4000-8000-000000000000"):
        page = web_sqlite.get(f"/t/{ticket}", headers={"Accept": "text/html"})
        assert page.status_code == 404 and "<script" not in page.text


def test_the_mail_links_are_the_shops_account_pages(web_sqlite):
    page = web_sqlite.get("/verify?token=nonsense", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Unknown" in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text)  # no inline script
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    reset = web_sqlite.get("/reset?token=nonsense", headers={"Accept": "text/html"})
    assert reset.status_code == 404 and 'href="/forgot"' in reset.text


def test_a_servers_start_up_is_frozen_out_of_full_collections_and_a_tests_is_not(
        sqlite_runtime):
    """A worker's start-up lives as long as it does: frozen once up (tix.heap), every full
    collection no longer scans it with each request waiting. An app built for a test is
    left alone: a suite builds hundreds."""
    import gc

    from fastapi.testclient import TestClient

    from tix.web.app import create_app

    gc.unfreeze()
    try:
        with TestClient(create_app(sqlite_runtime)) as client:
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() == 0
        with TestClient(create_app(sqlite_runtime, long_running=True)) as client:
            assert client.get("/healthz").status_code == 200
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
