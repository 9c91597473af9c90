"""URLs of key figures (nyckeltal) and verksamhetsplaner."""

urlpatterns: list = []
