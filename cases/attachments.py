"""Attachment checks: the type is read from the content, not trusted from the name."""

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError

# extension -> MIME types the content may have
ALLOWED = {
    "pdf": {"application/pdf"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "png": {"image/png"},
    "tif": {"image/tiff"},
    "tiff": {"image/tiff"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
}
ALLOWED_LABEL = "PDF、JPG、PNG、TIFF、DOCX"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def check_upload(upload) -> CheckedFile:
    name = upload.name or ""
    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            f"附件“{name}”大小为 {upload.size / 1048576:.1f} MB，超过 {max_bytes // 1048576} MB 的上限。",
            code="too_big",
        )
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise ValidationError(f"附件“{name}”的类型不允许；只接受 {ALLOWED_LABEL}。", code="ext")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED[ext]:
        raise ValidationError(
            f"附件“{name}”的内容与扩展名不符（不是真正的 {ext.upper()} 文件），已拒绝。",
            code="content",
        )
    return CheckedFile(name=name[-200:], content_type=kind.mime, size=upload.size)
