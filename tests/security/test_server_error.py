"""The 500 page shows a request id that the failure's log line carries (issue 13,
point 10), and every response names its request id."""

from __future__ import annotations

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def log_text():
    """The console handler of settings.LOGGING, writing to a buffer for the test."""
    stream = io.StringIO()
    config = settings.LOGGING
    handler = logging.StreamHandler(stream)
    handler.addFilter(logging.config.DictConfigurator({}).resolve("core.request_id.RequestIdFilter")())
    handler.setFormatter(logging.Formatter(config["formatters"]["plain"]["format"]))
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


@pytest.mark.urls("tests.security.urls_boom")
def test_the_500_page_shows_the_id_its_log_line_carries(db, log_text):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    request_id = response["X-Request-ID"]
    assert len(request_id) == 16
    assert f'报告问题时请提供错误编号：<strong id="request-id">{request_id}</strong>' in page
    assert "数据未被修改" in page and "Traceback" not in page and "a defect" not in page
    logged = log_text.getvalue()
    assert f"[{request_id}] django.request: Internal Server Error: /boom/" in logged
    assert "RuntimeError: a defect" in logged


def test_every_response_has_its_own_request_id(db, client):
    first, second = client.get("/login/"), client.get("/login/")
    assert first["X-Request-ID"] != second["X-Request-ID"]
