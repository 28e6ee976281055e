from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin

from core.admin import ReadOnlyAdminMixin

from .models import LoginSession, Unit, User
from .services import user_end_sessions


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "head", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "full_name", "role", "unit", "is_main_leader", "is_active"]
    list_filter = ["role", "unit", "is_main_leader"]
    search_fields = ["username", "full_name"]
    filter_horizontal = ["charge_units", "groups", "user_permissions"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("信访工作", {"fields": ("full_name", "role", "unit", "charge_units", "is_main_leader", "phone")}),
    )
    actions = ["end_sessions"]

    @admin.action(description="结束所选人员的全部登录会话")
    def end_sessions(self, request, queryset):
        total = sum(user_end_sessions(user=user, actor=request.user) for user in queryset)
        self.message_user(request, f"已结束 {total} 个登录会话；相关人员需重新登录。", messages.SUCCESS)


@admin.register(LoginSession)
class LoginSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who is signed in, from where, since when; ended from the staff list (结束会话)."""

    list_display = ["user", "ip_address", "started_at", "ended_at", "end_reason"]
    list_filter = ["end_reason"]
    search_fields = ["user__username", "user__full_name", "ip_address"]
