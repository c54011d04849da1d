"""What the site's IATI 2.03 files share (the e-APD's activities, the Atlas's open data): a
narrative element, and the xml:lang attribute."""

from xml.etree import ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def narrative(parent: ET.Element, tag: str, text: str, **attributes) -> ET.Element:
    """``<tag …><narrative>text</narrative></tag>`` under ``parent``."""
    element = ET.SubElement(parent, tag, attributes)
    ET.SubElement(element, "narrative").text = text
    return element
