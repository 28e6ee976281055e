from django.contrib.auth.models import AbstractUser
from django.db import models


class Unit(models.Model):
    """A school unit: 党政办公室, 学生工作处, a 二级学院 or a 职能处室.

    Seed 002 第五条 and seed 004 第五条 make the unit's head its 第一责任人 and give each
    unit a 信访事项接待员; both are users whose `unit` points here.
    """

    class Kind(models.TextChoices):
        OFFICE = "office", "党政办公室"
        STUDENT_AFFAIRS = "student_affairs", "学生工作处"
        COLLEGE = "college", "二级学院"
        FUNCTIONAL = "functional", "职能处室"
        DISCIPLINE = "discipline", "纪检监察"

    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=64, unique=True)
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    head = models.ForeignKey(
        "people.User",
        verbose_name="负责人（第一责任人）",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. `role` and `unit` together decide scope (see cases.selectors)."""

    class Role(models.TextChoices):
        CLERK = "clerk", "登记员"
        OFFICE = "office", "信访办"
        UNIT_HEAD = "unit_head", "部门负责人"
        RECEPTIONIST = "receptionist", "部门信访接待员"
        LEADER = "leader", "院领导"
        DISCIPLINE = "discipline", "纪检监察/组织人事"
        ADMIN = "admin", "系统管理员"

    full_name = models.CharField("姓名", max_length=32, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.CLERK)
    unit = models.ForeignKey(
        Unit,
        verbose_name="所在部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    charge_units = models.ManyToManyField(Unit, verbose_name="分管部门", blank=True, related_name="leaders_in_charge")
    # 主要领导 (seed 000 §四.3, §四.6): sees the whole school and signs off 特别重大 cases.
    is_main_leader = models.BooleanField("主要领导", default=False)
    phone = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        verbose_name = "工作人员"
        verbose_name_plural = "工作人员"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_unit_staff(self) -> bool:
        return self.role in (self.Role.UNIT_HEAD, self.Role.RECEPTIONIST)


class LoginSession(models.Model):
    """One signed-in session, so that an administrator can see and end a person's
    sessions (OWASP ASVS 3.3.4; 等保 2.0 三级 身份鉴别). Written when a person signs in,
    closed when they sign out, time out or are ended."""

    class EndReason(models.TextChoices):
        LOGOUT = "logout", "退出登录"
        ENDED = "ended", "管理员结束"
        DISABLED = "disabled", "账号停用"

    user = models.ForeignKey(User, verbose_name="工作人员", on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    ip_address = models.GenericIPAddressField("IP", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)
    started_at = models.DateTimeField("登录时间", auto_now_add=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    end_reason = models.CharField("结束原因", max_length=10, choices=EndReason.choices, blank=True)

    class Meta:
        verbose_name = "登录会话"
        verbose_name_plural = "登录会话"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.started_at:%Y-%m-%d %H:%M}"
