"""Tests of amn.seals.qr: full QR codes at level M, well-formed SVG, PNG for PDFs."""

import base64
import xml.etree.ElementTree as ET

from amn.seals import qr

PAYLOAD = "S1.DEV." + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 4 + "ABCDEFGHIJKLMNOP"


def test_short_data_is_still_a_full_qr():
    code = qr.make_qr("S1")
    assert not code.is_micro
    assert code.version == 1
    assert code.error == "M"


def test_seal_payload_fits_a_small_alphanumeric_qr():
    code = qr.make_qr(PAYLOAD)
    assert len(PAYLOAD) == 151
    assert code.mode == "alphanumeric"
    assert code.error == "M"
    assert not code.is_micro
    assert code.version == 6  # 41 x 41 modules


def test_svg_is_well_formed_and_sized_by_css():
    svg = qr.qr_svg(PAYLOAD, title="رمز التحقق & QR")
    root = ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)
    assert root.tag == "svg"  # inline in HTML: no namespace needed
    assert root.get("class") == "qr"
    assert root.get("viewBox") == "0 0 196 196"  # (41 + 2 x 4) modules x 4
    assert root.get("width") is None
    assert root.find("title").text == "رمز التحقق & QR"
    assert "style=" not in svg
    assert not svg.startswith("<?xml")


def test_png_and_data_uri():
    png = qr.qr_png(PAYLOAD, scale=2)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width == (41 + 8) * 2
    uri = qr.qr_png_data_uri(PAYLOAD, scale=2)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG")
