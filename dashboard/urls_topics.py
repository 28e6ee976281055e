"""Dashboard URLs (topics)."""

urlpatterns: list = []
