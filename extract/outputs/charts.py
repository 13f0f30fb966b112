"""A CJK font for matplotlib, so that the notebook's Chinese labels render.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs: 到馆人次 comes out as
empty boxes ("tofu") with a "Glyph … missing" warning.  The project's set-up installs
Debian's fonts-wqy-zenhei (`make fonts`); this module registers that file by path, or
else the first CJK font matplotlib already knows, and makes it the default sans-serif.
"""

from __future__ import annotations

import os
from pathlib import Path

# Files tried in order: $LIBSTAT_CJK_FONT, then Debian's and common distributions' fonts.
CJK_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
# Family names looked for among the fonts matplotlib found itself (macOS, Windows, conda).
CJK_FAMILIES = ("WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC",
                "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "AR PL UMing CN")
PROBE = "到馆人次外借册次图书馆"  # a font that lacks any of these is no use for the labels


def find_cjk_font() -> tuple[str, str] | None:
    """(family name, font file) of a font with Chinese glyphs, registered with matplotlib."""
    from matplotlib import font_manager

    env = os.environ.get("LIBSTAT_CJK_FONT")
    for path in ([env] if env else []) + list(CJK_FONT_FILES):
        if Path(path).is_file() and covers(path, PROBE):
            font_manager.fontManager.addfont(path)
            family = font_manager.FontProperties(fname=path).get_name()
            _single_weight_is_normal(family)
            return family, path
    for entry in font_manager.fontManager.ttflist:
        if entry.name in CJK_FAMILIES and covers(entry.fname, PROBE):
            return entry.name, entry.fname
    return None


def _single_weight_is_normal(family: str) -> None:
    """WenQuanYi Zen Hei comes in one weight, declared medium (500): matplotlib would take
    it for regular text anyway, but log "Failed to find font weight normal" for every
    label.  A family's only weight is its normal one, so say so in the font list."""
    import dataclasses

    from matplotlib import font_manager

    entries = font_manager.fontManager.ttflist
    own = [i for i, e in enumerate(entries) if e.name == family]
    if own and len({entries[i].weight for i in own}) == 1 and entries[own[0]].weight not in (400, "normal", "regular"):
        for i in own:
            entries[i] = dataclasses.replace(entries[i], weight=400)


def use_cjk_font() -> str | None:
    """Make a CJK font matplotlib's default; returns its family name, or None (with the
    labels then left to render as boxes) when the machine has none — run `make fonts`."""
    from matplotlib import rcParams

    found = find_cjk_font()
    if found is None:
        return None
    family, _ = found
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [family] + [f for f in rcParams["font.sans-serif"] if f != family]
    rcParams["axes.unicode_minus"] = False  # the CJK font's hyphen, not a missing U+2212
    return family


def covers(font_file: str, text: str) -> bool:
    """True when the font file has a glyph for every non-space character of `text`."""
    from matplotlib import font_manager

    try:
        charmap = font_manager.get_font(font_file).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(ord(ch) in charmap for ch in text if not ch.isspace())
