"""QR codes of certificate seals (segno).

Always a full QR code (never a Micro QR, which segno's `make()` picks for short data and
which most phone cameras cannot read), error-correction level M (15 % of the code may be
damaged or stained and still read: ISO/IEC 18004), a quiet zone of 4 modules as the standard
requires. HTML pages get an inline SVG; PDFs get a PNG with a whole number of pixels per module,
embedded as it is.
"""

import io

import segno

ERROR_LEVEL = "m"
QUIET_ZONE = 4


def make_qr(data: str) -> segno.QRCode:
    """A full QR code of `data` at error level M (not raised: the printed size stays fixed).

    Args:
        data: the text to encode (a seal payload: upper-case letters, digits and dots use
            the compact alphanumeric mode).
    Returns:
        segno.QRCode, version 1–40, never micro.
    Raises:
        segno.DataOverflowError: data too long for a version-40 QR.
    """
    return segno.make_qr(data, error=ERROR_LEVEL, boost_error=False)


def qr_svg(data: str, *, title: str = "", css_class: str = "qr", scale: int = 4) -> str:
    """Inline SVG markup of the QR code of `data`, for HTML pages.

    Args:
        data: the text to encode.
        title: accessible name of the image (translated by the caller); omitted when empty.
        css_class: class attribute of the <svg> element (size it with CSS: it has a viewBox).
        scale: size of one module in SVG user units.
    Returns:
        str, an <svg> element (no XML declaration) with black modules on a white ground and
        no style attributes (CSP-safe).
    """
    return make_qr(data).svg_inline(
        scale=scale,
        border=QUIET_ZONE,
        dark="#000",
        light="#fff",
        title=title or None,
        svgclass=css_class,
        lineclass=None,
        omitsize=True,
    )


def qr_png(data: str, *, scale: int = 8) -> bytes:
    """PNG bytes of the QR code of `data` (`scale` pixels per module, black on white)."""

    buffer = io.BytesIO()
    make_qr(data).save(
        buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff"
    )
    return buffer.getvalue()


def qr_png_data_uri(data: str, *, scale: int = 8) -> str:
    """A ``data:image/png;base64,…`` URI of the QR code of `data`, for the PDF's <img>.

    Not for HTML pages: the content security policy does not allow data: images.
    """
    return make_qr(data).png_data_uri(scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
