"""Dashboard URLs (figures)."""

urlpatterns: list = []
