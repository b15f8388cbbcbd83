from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("volunteers/", views.home, name="home"),
    path("volunteers/teams/<int:team_pk>/activities/new/", views.activity_new, name="activity_new"),
    path("volunteers/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("volunteers/activities/<int:pk>/signup/", views.activity_sign_up, name="signup"),
    path("volunteers/activities/<int:pk>/qr/", views.activity_qr, name="activity_qr"),
    path("volunteers/activities/<int:pk>/attendance/", views.attendance_mark, name="attendance"),
    path(
        "volunteers/activities/<int:pk>/attendance/afterwards/",
        views.attendance_record_afterwards,
        name="attendance_afterwards",
    ),
    path("volunteers/checkin/<str:token>/", views.checkin, name="checkin"),
    path("volunteers/hours/<int:pk>/confirm/", views.hours_confirm, name="hours_confirm"),
    path("volunteers/hours/<int:pk>/correct/", views.hours_correct, name="hours_correct"),
    path("volunteers/certificate.pdf", views.certificate, name="certificate"),
    path("volunteers/staff/hours/", views.staff_hours, name="staff_hours"),
    path("volunteers/staff/award/", views.staff_award, name="staff_award"),
    path("volunteers/staff/awards/", views.staff_awards, name="staff_awards"),
    path("volunteers/staff/awards/<int:pk>/decide/", views.staff_award_decide, name="staff_award_decide"),
    path("volunteers/staff/hours.xlsx", views.staff_hours_export, name="staff_hours_export"),
    path(
        "volunteers/staff/hours-national.xlsx",
        views.staff_hours_export_audited,
        name="staff_hours_export_audited",
    ),
    path("coupons/", views.offers, name="offers"),
    path("coupons/offers/<int:pk>/take/", views.offer_take, name="offer_take"),
    path("coupons/<str:token>/", views.coupon_detail, name="coupon"),
    path("merchants/", views.merchant_home, name="merchant_home"),
    path("merchants/all/", views.merchant_list, name="merchant_list"),
    path("merchants/redeem/", views.redeem, name="redeem_form"),
    path("merchants/redeem/<str:token>/", views.redeem, name="redeem"),
    path("merchants/<int:pk>/statement/", views.merchant_statement, name="merchant_statement"),
    path("merchants/<int:pk>/offers/new/", views.merchant_offer_new, name="merchant_offer_new"),
    path("merchants/<int:pk>/inspect/", views.merchant_inspect, name="merchant_inspect"),
]
