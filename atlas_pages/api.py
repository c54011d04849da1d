from django.http import HttpRequest
from ninja import Router, Schema

from . import services

router = Router(tags=["site"])


class MenuItemOut(Schema):
    id: int
    title: str
    url: str


class ContactOut(Schema):
    organisation: str
    department: str
    address: str
    phone: str
    fax: str
    email: str


class SiteOut(Schema):
    name: str
    language: str
    navigation: list[MenuItemOut]
    contact: ContactOut


@router.get("/site/", response=SiteOut, summary="Site name, main navigation and contact", auth=None)
def site(request: HttpRequest):
    """What a front end needs to draw the header and the footer."""
    current_site = services.site_for(request)
    contact = services.contact_details(request)
    return SiteOut(
        name=current_site.site_name if current_site and current_site.site_name else "CNCD à la carte",
        language=request.LANGUAGE_CODE,
        navigation=[
            MenuItemOut(id=page.pk, title=page.title, url=page.get_url(request) or "")
            for page in services.main_menu(current_site)
        ],
        contact=ContactOut(
            organisation=contact.organisation,
            department=contact.department,
            address=contact.address,
            phone=contact.phone,
            fax=contact.fax,
            email=contact.email,
        ),
    )
