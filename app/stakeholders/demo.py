"""Demo organisations: the municipalities, public partners and business associations of the demo region, each with
a simple logo, the municipalities with a letterhead."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from app.demo import get_or_create
from app.stakeholders.logos import has_logo, replace_logo
from app.stakeholders.models import Organisation, OrganisationType

T = OrganisationType
DEMO_ORGANISATIONS = [
    ("Gemeente Utrecht", T.GEMEENTE),
    ("Gemeente Amersfoort", T.GEMEENTE),
    ("Politie Midden-Nederland", T.POLITIE),
    ("Veiligheidsregio Utrecht (brandweer)", T.BRANDWEER),
    ("Douane Utrecht", T.DOUANE),
    ("Provincie Utrecht", T.PROVINCIE),
    ("Omgevingsdienst regio Utrecht", T.OMGEVINGSDIENST),
    ("Ondernemersvereniging Lage Weide", T.ONDERNEMERSVERENIGING),
    ("Bedrijvenkring Papendorp", T.ONDERNEMERSVERENIGING),
    ("Ondernemersvereniging Cartesiusweg", T.ONDERNEMERSVERENIGING),
    ("Koninklijke Metaalunie", T.BRANCHEVERENIGING),
    ("Meldkamer Midden-Nederland (particuliere alarmcentrale)", T.BEVEILIGING),
    ("PVO Midden-Nederland", T.PVO),
    ("Stichting Camerakwaliteit Utrecht", T.OVERIG),
    # entered twice under a shorter name, as happens: an admin finds it under "samenvoegen" of either one
    ("Metaalunie", T.BRANCHEVERENIGING),
]
#: the municipalities' letterheads: return address and signatory (fictitious people, not the real mayors)
DEMO_LETTERHEADS = {
    "Gemeente Utrecht": ("Postbus 16000\n3500 DA Utrecht", "A.M. van Rijnsburg", "burgemeester"),
    "Gemeente Amersfoort": ("Postbus 4000\n3800 EA Amersfoort", "drs. H.J. Eemsteyn", "burgemeester"),
}
#: the colour of a demo logo by the kind of organisation
LOGO_COLOURS = {
    T.GEMEENTE: (178, 34, 34),
    T.POLITIE: (21, 66, 115),
    T.BRANDWEER: (200, 60, 20),
    T.PROVINCIE: (150, 20, 60),
}
DEFAULT_LOGO_COLOUR = (36, 87, 143)


def demo_logo(name: str, colour: tuple[int, int, int]) -> bytes:
    """A simple logo for a demo organisation: its initials in a coloured disc and its name beside it (PNG)."""
    image = Image.new("RGB", (720, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 230, 230), fill=colour)
    words = [word for word in name.replace("(", " ").split() if word[0].isalpha()]
    initials = "".join(word[0] for word in words if word[0].isupper())[:2] or name[:1]
    draw.text((120, 120), initials, fill="white", font=ImageFont.load_default(size=100), anchor="mm")
    label = ImageFont.load_default(size=42)
    lines, line = [], ""
    for word in name.split():
        if line and draw.textlength(f"{line} {word}", font=label) > 460:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    top = 120 - 26 * len(lines[:3])
    for number, text in enumerate(lines[:3]):
        draw.text((255, top + 52 * number), text, fill=colour, font=label)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_demo(created: list) -> dict[str, Organisation]:
    """The organisations of DEMO_ORGANISATIONS by name, made where missing (and added to `created`), each with a
    logo and the municipalities with a letterhead, where they have none yet (changes made since are kept)."""
    organisations = {
        name: get_or_create(created, Organisation, name=name, type=kind) for name, kind in DEMO_ORGANISATIONS
    }
    for name, organisation in organisations.items():
        if not has_logo(organisation):
            replace_logo(organisation, demo_logo(name, LOGO_COLOURS.get(organisation.type, DEFAULT_LOGO_COLOUR)))
        letterhead = DEMO_LETTERHEADS.get(name)
        if letterhead is not None and not organisation.signatory_name:
            organisation.letter_address, organisation.signatory_name, organisation.signatory_function = letterhead
    return organisations
