"""The campaign's submitted lines for the OECD and the open-data registries: a CSV in the columns
of the Creditor Reporting System (CRS) and an IATI 2.03 activity file, one activity per line.

Both stream from one query over the submitted lines, whatever their number.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.conf import settings
from django.utils import timezone

from atlas_pages.core.iati import XML_LANG, narrative
from forms.apd import codelists
from forms.apd.models import ApdCampaign, ApdLine

# CRS++ items (OECD, Creditor Reporting System reporting directives), and the CNCD's own columns.
CRS_COLUMNS = [
    "Year",
    "DonorCode",
    "DonorName",
    "ExtendingAgency",
    "ExtendingAgencyCode",
    "CrsID",
    "ProjectNumber",
    "RecipientCode",
    "RecipientName",
    "FlowType",
    "FinanceType",
    "AidType",
    "ChannelCode",
    "ChannelName",
    "PurposeCode",
    "PurposeName",
    "SectorCode",
    "ProjectTitle",
    "ShortDescription",
    "Currency",
    "CommitmentAmount",
    "DisbursementAmount",
    "Gender",
    "Environment",
    "ClimateMitigation",
    "ClimateAdaptation",
    "Biodiversity",
    "LegalBasis",
    "DeclarationReference",
]
# France in the DAC's donor list.
DONOR_CODE = "4"
DONOR_NAME = "France"
# The IATI PolicyMarker codes of the markers declared.
POLICY_MARKERS = {
    "marker_gender": "1",
    "marker_environment": "2",
    "marker_biodiversity": "5",
    "marker_climate_mitigation": "6",
    "marker_climate_adaptation": "7",
}


def _name(kind: str, code: str) -> str:
    found = codelists.codelist(kind).get(code)
    return found.name_en if found else ""


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def project_number(line: ApdLine) -> str:
    return f"APD-{line.declaration.campaign.year}-{line.declaration.authority.code}-{line.pk}"


def crs_rows(lines: Iterable[ApdLine]) -> Iterator[list[str]]:
    for line in lines:
        declaration = line.declaration
        purpose = codelists.codelist("purpose").get(line.purpose_code)
        yield [
            str(declaration.campaign.year),
            DONOR_CODE,
            DONOR_NAME,
            declaration.authority.name,
            declaration.authority.code,
            "",  # given by the OECD
            project_number(line),
            line.recipient,
            _name("recipient", line.recipient),
            line.flow_type,
            line.finance_type,
            line.aid_type,
            line.channel_code,
            _name("channel", line.channel_code),
            line.purpose_code,
            purpose.name_en if purpose else "",
            purpose.category if purpose else "",
            line.title,
            line.description[:300],
            "EUR",
            _money(line.committed),
            _money(line.disbursed),
            str(line.marker_gender),
            str(line.marker_environment),
            str(line.marker_climate_mitigation),
            str(line.marker_climate_adaptation),
            str(line.marker_biodiversity),
            line.legal_basis,
            declaration.reference,
        ]


def crs_csv(lines: Iterable[ApdLine]) -> Iterator[str]:
    """The CSV, a row at a time (for a streaming response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CRS_COLUMNS)
    for row in crs_rows(lines):
        writer.writerow(row)
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def iati_activity(line: ApdLine, reporting_ref: str, reporting_name: str, now: str) -> ET.Element:
    """One activity, children in the order of the IATI 2.03 schema."""
    declaration = line.declaration
    year = declaration.campaign.year
    activity = ET.Element(
        "iati-activity", {"last-updated-datetime": now, XML_LANG: "fr", "default-currency": "EUR", "humanitarian": "0"}
    )
    ET.SubElement(activity, "iati-identifier").text = f"{reporting_ref}-{project_number(line)}"
    narrative(activity, "reporting-org", reporting_name, ref=reporting_ref, type="10")
    narrative(activity, "title", line.title)
    narrative(activity, "description", line.description or line.title, type="1")  # required by the schema
    narrative(activity, "participating-org", declaration.authority.name, role="1", type="11")
    narrative(
        activity,
        "participating-org",
        declaration.authority.name,
        role="4",
        type="11",
        **{"crs-channel-code": line.channel_code},
    )
    ended = line.project is not None and line.project.status == "completed"
    ET.SubElement(activity, "activity-status", code="4" if ended else "2")
    start = line.project.start_year if line.project is not None and line.project.start_year <= year else year
    ET.SubElement(activity, "activity-date", type="2", **{"iso-date": f"{start}-01-01"})
    if line.recipient == codelists.UNALLOCATED:
        ET.SubElement(activity, "recipient-region", code=line.recipient, vocabulary="1", percentage="100")
    else:
        ET.SubElement(activity, "recipient-country", code=line.recipient, percentage="100")
    ET.SubElement(activity, "sector", vocabulary="1", code=line.purpose_code, percentage="100")
    for field, code in POLICY_MARKERS.items():
        ET.SubElement(activity, "policy-marker", vocabulary="1", code=code, significance=str(getattr(line, field)))
    ET.SubElement(activity, "collaboration-type", code="1")
    ET.SubElement(activity, "default-flow-type", code=line.flow_type)
    ET.SubElement(activity, "default-finance-type", code=line.finance_type)
    ET.SubElement(activity, "default-aid-type", code=line.aid_type, vocabulary="1")
    ET.SubElement(activity, "default-tied-status", code="5")
    day = f"{year}-12-31"
    transactions = [("2", line.committed), ("3", line.disbursed)] if line.committed is not None else []
    transactions = transactions or [("3", line.disbursed)]
    for kind, amount in transactions:
        transaction = ET.SubElement(activity, "transaction")
        ET.SubElement(transaction, "transaction-type", code=kind)
        ET.SubElement(transaction, "transaction-date", **{"iso-date": day})
        ET.SubElement(transaction, "value", currency="EUR", **{"value-date": day}).text = _money(amount)
    return activity


def iati_xml(campaign: ApdCampaign, lines: Iterable[ApdLine]) -> Iterator[bytes]:
    """The IATI activity file, an activity at a time."""
    reporting_ref = settings.CNCD_IATI_REPORTING_ORG["ref"]
    reporting_name = settings.CNCD_IATI_REPORTING_ORG["name"]
    now = timezone.now().replace(microsecond=0).isoformat()
    yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<iati-activities version="2.03" generated-datetime="{now}">\n'.encode()
    for line in lines:
        yield ET.tostring(
            iati_activity(line, reporting_ref, reporting_name, now), encoding="utf-8", xml_declaration=False
        )
        yield b"\n"
    yield b"</iati-activities>\n"
