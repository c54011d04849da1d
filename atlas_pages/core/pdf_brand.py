"""What every PDF of the site carries as the site does: the Marianne typeface and the State's
logo block ("bloc-marque": Marianne, RÉPUBLIQUE FRANÇAISE, the motto), both taken from the DSFR
package the site is built with, so that the PDFs follow its releases.

``brand_css()`` is a stylesheet for WeasyPrint: ``@font-face`` rules for Marianne and the DSFR's
own ``.fr-logo`` rules (their images are SVG data URIs). A template writes the block as the site
does: ``<p class="fr-logo">République<br>française</p>``.
"""

import functools
import re
from pathlib import Path

from django.contrib.staticfiles import finders

FONTS = {
    (400, "normal"): "Marianne-Regular",
    (700, "normal"): "Marianne-Bold",
    (400, "italic"): "Marianne-Regular_Italic",
}
FONT_FAMILY = '"Marianne", "DejaVu Sans", sans-serif'


def _static(path: str) -> Path:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"{path} is not in the static files (django-dsfr installed?)")
    return Path(found if isinstance(found, str) else found[0])


def _first_rule(css: str, selector: str) -> str:
    """The declarations of the first rule whose selector is exactly ``selector`` (the base
    one: the DSFR's later rules for it are for dark, mourning and wider screens)."""
    found = re.search(r"(?:^|[}\s])" + re.escape(selector) + r"\{([^}]*)\}", css)
    if found is None:
        raise ValueError(f"{selector} not found in the DSFR stylesheet")
    return found.group(1)


def _without_calc(rule: str) -> str:
    """The motto's rule with its ``background-position: 0 calc(100% + Xrem)`` worked out in rem
    (WeasyPrint has no calc() there): 100% is the box's height (its padding) less the image's."""
    found = re.search(r"background-position:0 calc\(100% \+ ([\d.]+)rem\)", rule)
    if found is None:
        return rule
    box = float(re.search(r"padding-top:([\d.]+)rem", rule).group(1))  # type: ignore[union-attr]
    image = float(re.search(r"background-size:[\d.]+rem ([\d.]+)rem", rule).group(1))  # type: ignore[union-attr]
    offset = box - image + float(found.group(1))
    return rule.replace(found.group(0), f"background-position:0 {offset:.4f}rem")


@functools.cache
def brand_css() -> str:
    faces = "\n".join(
        f'@font-face {{ font-family: "Marianne"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{_static(f"dsfr/dist/fonts/{name}.woff2").as_uri()}") format("woff2"); }}'
        for (weight, style), name in FONTS.items()
    )
    css = _static("dsfr/dist/dsfr.min.css").read_text(encoding="utf-8")
    logo = _first_rule(css, ".fr-logo").replace("var(--text-black-white-grey)", "#161616")
    logo = re.sub(r"--[\w-]+:[^;]*;?", "", logo)  # custom properties WeasyPrint has no use for
    before = _first_rule(css, ".fr-logo:before").replace("forced-color-adjust:none;", "")
    after = _without_calc(_first_rule(css, ".fr-logo:after"))
    return f"{faces}\n.fr-logo{{{logo}}}\n.fr-logo:before{{{before}}}\n.fr-logo:after{{{after}}}\n"
