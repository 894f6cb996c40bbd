"""The CJK font the PDFs embed (WenQuanYi Micro Hei, Apache-2.0), shipped with the package."""

from pathlib import Path

FONT_PATH = Path(__file__).parent / "wqy-microhei.ttc"
