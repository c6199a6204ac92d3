"""Rewrite the inputs of the NFD gold articles in Unicode NFD (decomposed) form.

Pages in the wild sometimes arrive decomposed (a base letter plus combining marks); the
gold set keeps a few such inputs so the pipeline's NFC normalisation is exercised.  The
articles are written (and reviewed) in NFC; run this script after editing one of them:

    python tests/gold/make_nfd.py

Their gold.json stays NFC: offsets point into the parsed article text, which is NFC.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

NFD_ARTICLES = (
    "023_quangtri_tw_hue_ky_ket_nfd",
    "025_tuyenquang_dao_tao_nfd",
    "036_backan_bo_nhiem_giam_doc_benh_vien_nfd",
)


def main() -> None:
    here = Path(__file__).resolve().parent
    for name in NFD_ARTICLES:
        path = here / name / "input.txt"
        text = path.read_text("utf-8")
        path.write_text(unicodedata.normalize("NFD", text), "utf-8")
        print(f"{path.relative_to(here)}: NFD")


if __name__ == "__main__":
    main()
