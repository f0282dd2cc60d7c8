from django.urls import include, path

from dangjian.members import lifecycle_views as lv
from dangjian.members import views
from dangjian.members.lifecycle_registers import (
    DecisionRegister,
    FlowingRegister,
    LetterRegister,
    LetterRequestRegister,
    TransferRegister,
)
from dangjian.members.pick import member_pick
from dangjian.members.registers import MemberRegister

urlpatterns = [
    *MemberRegister.instance.urls("list"),
    path("add/", views.member_create, name="member-create"),
    path("pick/", member_pick, name="member-pick"),
    path("<int:pk>/", views.member_detail, name="member-detail"),
    path("<int:pk>/reveal-id/", views.member_reveal_id, name="member-reveal-id"),
    path("<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("<int:pk>/leave/", views.member_leave, name="member-leave"),
    path("<int:pk>/restore/", views.member_restore, name="member-restore"),
    path("<int:pk>/delete/", views.member_delete, name="member-delete"),
    path("transfers/", include(TransferRegister.instance.urls("list", "detail"))),
    path("transfers/add/", lv.transfer_create, name="transfer-create"),
    path("transfers/branch/", lv.transfer_branch, name="transfer-branch"),
    *(
        path(
            f"transfers/<int:pk>/{step}/", lv.transfer_act, {"step": step}, name=f"transfer-{step}"
        )
        for step in ("approve", "accept", "return", "cancel")
    ),
    path("letters/", include(LetterRegister.instance.urls("list", "detail"))),
    path("letters/requests/", include(LetterRequestRegister.instance.urls("list", "detail"))),
    path("letters/issue/", lv.letter_issue, name="letter-issue"),
    path("letters/receive/", lv.letter_receive, name="letter-receive"),
    path(
        "letters/requests/<int:pk>/decline/",
        lv.letter_request_decline,
        name="letter-request-decline",
    ),
    path("letters/<int:pk>/receipt/", lv.letter_receipt, name="letter-receipt"),
    path("letters/<int:pk>/void/", lv.letter_void, name="letter-void"),
    path("letters/<int:pk>/print/", lv.letter_print, name="letter-print"),
    path("flowing/", include(FlowingRegister.instance.urls())),
    path("flowing/<int:pk>/report/", lv.flowing_report, name="flowing-report"),
    path("decisions/", include(DecisionRegister.instance.urls())),
]
