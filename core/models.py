"""The shape every history table shares (django-simple-history)."""

from django.db import models


class TransitionHistory(models.Model):
    """Extra columns on every history row: which step it records (the transition's
    label, set by core.fsm.save_with_history; plain edits leave it blank)."""

    transition = models.CharField("操作", max_length=32, blank=True)

    class Meta:
        abstract = True


class Source(models.Model):
    """A document the product's rules come from: the 条例 and the school regulations
    (the seeds). Rows, not constants: an administrator corrects a title or a number in
    the admin, and every page, PDF and spreadsheet that cites it follows (issue 12 point
    14). `code` is the short form stored in older citations ("seed 004", "条例");
    core.sources.cite turns those into the title users read."""

    code = models.CharField("代码", max_length=16, unique=True, help_text="旧式引用中的简称，如“seed 004”“条例”")
    short_name = models.CharField("简称", max_length=32)
    title = models.CharField("标题", max_length=120, help_text="不含书名号")
    issuer = models.CharField("发文机关", max_length=120, blank=True)
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    number = models.CharField("文号", max_length=40, blank=True)
    cited_as = models.CharField("引用写法", max_length=160, blank=True, help_text="引用时的写法；留空即为《标题》")
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "依据文件"
        verbose_name_plural = "依据文件"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"《{self.title}》"

    @property
    def cited(self) -> str:
        """How a citation names it: 《信访工作条例》, or the written-out form."""
        return self.cited_as or f"《{self.title}》"

    @property
    def full(self) -> str:
        """《title》 with the issuing body, year and number, for a list of sources."""
        rest = "，".join(x for x in (self.issuer, f"{self.year}年" if self.year else "", self.number) if x)
        return f"《{self.title}》（{rest}）" if rest else f"《{self.title}》"
