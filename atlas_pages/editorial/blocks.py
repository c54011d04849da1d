"""The StreamField blocks shared by every page type."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class APIImageChooserBlock(ImageChooserBlock):
    """An image chooser whose API output carries rendition URLs, not just an id."""

    def get_api_representation(self, value, context=None):
        from atlas_pages.editorial.representation import image_json

        return image_json(value, (context or {}).get("request"))


class APIDocumentChooserBlock(DocumentChooserBlock):
    def get_api_representation(self, value, context=None):
        from atlas_pages.editorial.representation import document_json

        return document_json(value, (context or {}).get("request"))


RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = APIImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "atlas_pages/blocks/image_with_caption.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    author = blocks.CharBlock(label=_("Author"), required=False, max_length=120)
    role = blocks.CharBlock(label=_("Author's title"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "atlas_pages/blocks/quote.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("Figure"), max_length=40, help_text=_("For example “4,756” or “12 %”."))
    label = blocks.CharBlock(label=_("What it counts"), max_length=160)
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=200)

    class Meta:
        icon = "pick"
        label = _("Key figure")
        template = "atlas_pages/blocks/key_figure.html"


class DocumentBlock(blocks.StructBlock):
    document = APIDocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "atlas_pages/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = ImageWithCaptionBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(label=_("Embedded media"), help_text=_("A video or a post, by its URL."))
    key_figure = KeyFigureBlock()
    document = DocumentBlock()
