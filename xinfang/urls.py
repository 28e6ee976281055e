from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.views import favicon
from people.forms import LoginForm

handler500 = "core.views.server_error"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="people/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("", include("people.urls")),
    path("", include("cases.urls")),
    path("", include("deadlines.urls")),
    path("", include("supervision.urls")),
    path("", include("notifications.urls")),
    path("", include("documents.urls")),
    path("", include("documents.ledger_urls")),
    path("dashboard/", include("dashboard.urls")),
    path("accountability/", include("accountability.urls")),
]

if settings.BENCH_VIEWS and "devtools" in settings.INSTALLED_APPS:
    from devtools.views import bench_minimal_list

    urlpatterns.append(path("bench/minimal/", bench_minimal_list, name="bench_minimal"))
