from django.urls import path

from . import views

app_name = "deliberation"

urlpatterns = [
    path("topics/", views.topic_list, name="topics"),
    path("topics/new/", views.topic_new, name="topic_new"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/step/<slug:stage>/", views.topic_step, name="topic_step"),
    path("topics/<int:pk>/tasks/", views.task_new, name="task_new"),
    path("topics/<int:pk>/project/", views.topic_open_project, name="topic_open_project"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("communities/<int:community_pk>/voting-rule/", views.voting_rule_edit, name="voting_rule"),
    path("meetings/<int:pk>/qr/", views.meeting_qr, name="meeting_qr"),
    path("meetings/<int:pk>/tick/", views.meeting_tick, name="meeting_tick"),
    path("meetings/<int:pk>/tick-invitee/", views.meeting_tick_invitee, name="meeting_tick_invitee"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/files/", views.meeting_file_add, name="meeting_file_add"),
    path("meetings/<int:pk>/files/<int:file_pk>/", views.meeting_file, name="meeting_file"),
    path("meetings/<int:pk>/topics/<int:topic_pk>/vote/", views.meeting_vote, name="meeting_vote"),
    # Public: the open call, the attendance code's page, the disclosures of an area or a community.
    path("call/<str:token>/", views.call, name="call"),
    path("attend/<str:token>/", views.attend, name="attend"),
    path("public/<slug:kind>/<int:pk>/", views.public_disclosures, name="public"),
]
