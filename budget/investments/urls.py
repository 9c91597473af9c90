"""URLs of investments (B8, B9)."""

from django.urls import path

from budget.investments import views

urlpatterns = [
    path("investeringar/", views.investment_index, name="investment_index"),
    path("investeringar/<int:year>/", views.investment_overview, name="investments"),
    path("investeringar/<int:year>/excel/", views.investment_export,
         name="investments_excel"),
    path("investeringar/projekt/nytt/", views.investment_create,
         name="investment_create"),
    path("investeringar/projekt/<int:pk>/", views.investment_detail,
         name="investment"),
    path("investeringar/projekt/<int:pk>/andra/", views.investment_edit,
         name="investment_edit"),
    path("investeringar/projekt/<int:pk>/anslag/", views.appropriation_edit,
         name="investment_appropriation"),
    path("investeringar/projekt/<int:pk>/beslut/", views.decision_record,
         name="investment_decision"),
    path("investeringar/projekt/<int:pk>/ombudgetering/", views.ombudgetering_record,
         name="investment_ombudgetering"),
    path("investeringar/projekt/<int:pk>/uppfoljning/", views.follow_up_edit,
         name="investment_follow_up"),
]
