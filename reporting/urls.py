from django.urls import path

from . import deadlines_feed_views

app_name = "reporting"

urlpatterns: list = []

# A person's deadlines and their iCal feed (ical).
urlpatterns += [
    path("mina-frister/", deadlines_feed_views.my_deadlines, name="my_deadlines"),
    path("mina-frister/ny-adress/", deadlines_feed_views.renew, name="renew_deadlines_feed"),
    path("kalender/<str:token>.ics", deadlines_feed_views.feed, name="deadlines_feed"),
]
