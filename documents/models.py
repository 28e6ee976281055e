"""Documents as sent and background ledger exports (tables moved here from cases with every row)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocumentKind(models.TextChoices):
    """The documents the seeds and 条例 name (DOMAIN.md "Ledger and forms")."""

    REGISTRATION = "registration", "信访登记表"
    ACCEPTANCE = "acceptance", "受理告知书"
    REJECTION = "rejection", "不予受理告知书"
    EXTENSION = "extension", "延期办理告知书"
    OPINION = "opinion", "信访处理意见书"
    SUPERVISION = "supervision", "督办通知书"
    REPLY_TO_SUPERIOR = "reply-to-superior", "复函"
    FORWARD = "forward", "转送告知书"
    SUGGESTION_REPLY = "suggestion-reply", "建议意见答复函"
    STATUTORY_ROUTE = "statutory-route", "法定途径告知书"
    MEDIATION = "mediation", "调解协议书"
    SETTLEMENT = "settlement", "和解协议书"
    URGENT_REPORT = "urgent-report", "紧急信访信息报告"
    REVIEW_OPINION = "review-opinion", "复查意见书"
    REREVIEW_OPINION = "rereview-opinion", "复核意见书"


def document_path(instance: Document, filename: str) -> str:
    return f"documents/{instance.year}/{instance.case_id}/{instance.kind}-{instance.sequence:05d}.pdf"


class DocumentNumberSequence(models.Model):
    """The last number issued per document kind and year; locked while a number is taken."""

    kind = models.CharField("文书类别", max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用编号", default=0)

    class Meta:
        verbose_name = "文书编号"
        verbose_name_plural = "文书编号"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_sequence_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class DocumentQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(status=Document.Status.ISSUED)

    def drafts(self):
        return self.filter(status=Document.Status.DRAFT)


class Document(models.Model):
    """A document, drafted first and then issued (issue 12 point 11): a draft has its text,
    editable, and no number; issuing takes the next number and keeps the exact bytes of
    the PDF, so that a reprint is the same document as sent (issue 5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "已签发"

    case = models.ForeignKey("cases.Case", verbose_name="信访件", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField("文书类别", max_length=20, choices=DocumentKind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    text = models.TextField("正文", blank=True, help_text="每段一行；“一、”开头的行是小标题")
    year = models.PositiveSmallIntegerField("年度")
    sequence = models.PositiveIntegerField("序号", null=True, blank=True)
    number = models.CharField("文号", max_length=40, unique=True, null=True, blank=True)
    file = models.FileField("文件", upload_to=document_path, max_length=200, blank=True)
    size = models.PositiveIntegerField("大小", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    notice = models.ForeignKey(
        "supervision.Notice", verbose_name="督办单", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # the 复查/复核 a 复查意见书 or 复核意见书 is about (registered by supervision)
    review = models.ForeignKey(
        "supervision.ReviewRequest",
        verbose_name="复查复核",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    extension = models.ForeignKey(
        "deadlines.Extension", verbose_name="延期", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="制作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("制作时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签发人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "sequence"], name="document_number_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number or '（草稿）'}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class DeliveryWay(models.TextChoices):
    """How a document reached the petitioner (DOMAIN.md "Rules the first build missed")."""

    IN_PERSON = "in_person", "当面送达"
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"
    ONLINE = "online", "网上"


def delivery_proof_path(instance: Delivery, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    document = instance.document
    return f"documents/{document.year}/{document.case_id}/delivery-{document.pk}-{instance.delivered_on:%Y%m%d}.{ext}"


class Delivery(models.Model):
    """A document delivered (送达) to the petitioner: the law counts the 复查 and 复核 windows
    from receipt of the written reply (《信访工作条例》第三十五条、第三十六条), and the
    acceptance notice is owed to the petitioner (第二十三条), so the day it reached them and
    the proof are kept."""

    document = models.ForeignKey(Document, verbose_name="文书", on_delete=models.PROTECT, related_name="deliveries")
    way = models.CharField("送达方式", max_length=12, choices=DeliveryWay.choices)
    delivered_on = models.DateField("送达日期")
    tracking_number = models.CharField("邮件单号", max_length=60, blank=True)
    proof = models.FileField("送达凭证", upload_to=delivery_proof_path, max_length=200, blank=True)
    proof_name = models.CharField("凭证文件名", max_length=200, blank=True)
    proof_type = models.CharField("凭证类型", max_length=100, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"
        ordering = ["delivered_on", "id"]

    def __str__(self) -> str:
        return f"{self.document} {self.get_way_display()} {self.delivered_on}"


class LedgerExport(models.Model):
    """A ledger (台账) export too large to stream in the request: a Celery task writes it,
    the page shows its progress, and the file is kept for LEDGER_EXPORT_KEEP_HOURS."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导出人", on_delete=models.CASCADE, related_name="ledger_exports"
    )
    params = models.JSONField("筛选条件", default=dict)
    description = models.CharField("说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    done = models.PositiveIntegerField("已写行数", default=0)
    file = models.FileField("文件", upload_to="exports/", max_length=200, blank=True)
    error = models.CharField("错误", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    expires_at = models.DateTimeField("过期时间", null=True, blank=True)

    class Meta:
        verbose_name = "台账导出"
        verbose_name_plural = "台账导出"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.description} {self.get_status_display()}"
