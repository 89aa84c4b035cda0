"""What ``goalbook review`` serves besides rendered pages: images only, never a notebook, its code or data."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from voila_harness import ReviewServer

pytestmark = pytest.mark.browser


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, "", b""


def test_images_are_served_and_nothing_else(review: ReviewServer) -> None:
    status, kind, body = fetch(f"{review.url}voila/files/pixel.png")
    assert (status, kind) == (200, "image/png") and body.startswith(b"\x89PNG")
    for name in ("notes.yaml", "label.ipynb", "raises.ipynb"):
        assert fetch(f"{review.url}voila/files/{name}")[0] == 403, name


def test_the_contents_api_lists_notebooks_without_their_source(review: ReviewServer) -> None:
    status, _, body = fetch(f"{review.url}voila/api/contents/label.ipynb")
    assert status == 200
    model = json.loads(body)
    assert model["name"] == "label.ipynb" and model["content"] is None
    status, _, body = fetch(f"{review.url}voila/api/contents/")
    assert status == 200
    listed = {item["name"] for item in json.loads(body)["content"]}
    assert "label.ipynb" in listed and "notes.yaml" not in listed
