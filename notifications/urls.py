from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("settings/", views.preferences, name="preferences"),
    path("wechat/", views.wechat_page, name="wechat"),
    path("wechat/callback/", views.wechat_callback, name="wechat_callback"),
    path("wechat/unbind/", views.wechat_unbind, name="wechat_unbind"),
    path("wechat/follow/callback/", views.wechat_follow_callback, name="wechat_follow_callback"),
    path("wechat/follow/<str:code>/", views.wechat_follow_start, name="wechat_follow"),
]
