"""Dashboard URLs (report)."""

urlpatterns: list = []
