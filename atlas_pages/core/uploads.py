"""Uploaded files are judged by their content, not by their name: the type is read from the
first bytes (``filetype``) and must be one the form accepts, and the size is capped. Every
app's uploads go through ``check_upload``; files that are not public go to ``private_storage``,
which no URL serves (the apps hand them out after checking who asks)."""

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

#: What dossiers, opinions and messages accept: PDF, office documents, images.
DOCUMENTS = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
}


@dataclass
class CheckedUpload:
    name: str
    extension: str
    content_type: str
    size: int


def check_upload(upload, field: str, allowed: dict[str, str] = DOCUMENTS, max_bytes: int | None = None):
    """The upload's real type and size, or a ``ValidationError`` naming ``field``."""
    max_bytes = max_bytes or settings.CNCD_UPLOAD_MAX_BYTES
    if upload is None or not upload.size:
        raise ValidationError({field: [_("The file is empty.")]})
    if upload.size > max_bytes:
        raise ValidationError(
            {field: [_("The file is too large: %(max)d MB at most.") % {"max": max_bytes // (1024 * 1024)}]}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = kind.extension if kind is not None else None
    if extension not in allowed:
        raise ValidationError(
            {field: [_("This kind of file is not accepted: send a PDF, an office document or an image.")]}
        )
    name = (upload.name or "document").rsplit("/", 1)[-1][:200]
    return CheckedUpload(name=name, extension=extension, content_type=allowed[extension], size=upload.size)


def private_storage() -> FileSystemStorage:
    """Files only the application hands out (dossiers' documents, receipts, kept Atlas exports)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
