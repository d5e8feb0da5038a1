"""A PDF read as its reader would, for the tests: its text (pdftotext, in reading order or laid out as printed), that
text without whitespace, and the file itself checked (qpdf, PDF/A-3b declared, a first page that is not blank)."""
from __future__ import annotations

import io
import re
import subprocess

from PIL import Image
from pypdf import PdfReader


def pdf_text(pdf: bytes, *, layout: bool = False) -> str:
    """The text pdftotext finds; `layout`: kept where it is printed (columns side by side)."""
    options = ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def squeeze(text: str) -> str:
    """The text without whitespace: a phrase is found whatever the line breaks of the page."""
    return re.sub(r"\s+", "", text)


def check_pdf_file(pdf: bytes, tmp_path, name: str) -> PdfReader:
    """qpdf finds no error, PDF/A-3b is declared, and the first page (50 dpi) is not blank."""
    assert pdf[:5] == b"%PDF-"
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / name)], check=True
    )
    image = Image.open(next(tmp_path.glob(f"{name}-*1.png"))).convert("L")
    dark = sum(image.histogram()[:200])  # pixels darker than light grey
    assert dark > image.width * image.height * 0.02, "the first page looks blank"
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp), xmp
    return reader
