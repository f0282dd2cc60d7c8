"""One test walks every URL pattern and API route as every persona (anchor: netbox
ViewTestCases): anonymous → login (pages) or 401 (API); an object out of the persona's scope
for the route's action → 404; in scope → 200. A new URL without an entry here fails the test,
so no page escapes the scope check."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from outreach.register_factories import FACTORIES as OUTREACH_FACTORIES
from personas import PERSONAS, add_member, add_org, add_user
from training.register_factories import FACTORIES as TRAINING_FACTORIES
from uploadfiles import pdf_upload

from dangjian.accounts.services import users_in_scope
from dangjian.assessment.models import (
    Evaluation,
    Honour,
    IndicatorSet,
    Inspection,
    Rectification,
    ResponsibilityLetter,
    ScoreSheet,
)
from dangjian.core import uploads
from dangjian.core.context import CLI
from dangjian.core.models import AuditEntry, Notification, RoleAssignment, StoredFile
from dangjian.core.notifications import notify
from dangjian.core.roles import Action
from dangjian.core.scope import can, is_unrestricted
from dangjian.dataio.models import ImportJob
from dangjian.disclosure.models import Document, DocumentVersion, Publication
from dangjian.dues.models import DuesBase, DuesMonth, DuesPayment, DuesReduction
from dangjian.excellence import services as excellence
from dangjian.excellence.models import (
    Campaign,
    Commitment,
    DemonstrationPoint,
    Exemplar,
    FiveGoodCheck,
    FiveGoodChecklist,
    Post,
    StarCriteria,
    StarRating,
)
from dangjian.integrity.models import Case, Education, Measure, Petition, Risk, Talk
from dangjian.life import services as life_services
from dangjian.life.models import Attendance, GroupMembership, Meeting, Series
from dangjian.members import lifecycle
from dangjian.members.models import (
    Flowing,
    Letter,
    LetterRequest,
    Member,
    StatusDecision,
    Transfer,
)
from dangjian.orgs import elections as org_elections
from dangjian.orgs import services as org_services
from dangjian.orgs.models import (
    BRANCH_KINDS,
    ActivityRoom,
    Election,
    MassOrganization,
    Organization,
    Position,
    School,
    SchoolLeader,
)
from dangjian.outreach.models import Assistance, Pairing
from dangjian.recruitment import services as recruitment_services
from dangjian.recruitment.models import Attachment, Recruit, RuleSet, Sanction, Step
from dangjian.selfservice import services as selfservice
from dangjian.selfservice.models import Correction, ThoughtReport
from dangjian.selfservice.services import own_member, own_recruit, writes_reports
from dangjian.training.models import Attendance as TrainingAttendance
from dangjian.training.models import Course, Mentorship, Research, Training
from tests.assessment.register_factories import FACTORIES as ASSESSMENT
from tests.assessment.register_factories import score_sheet as ASSESSMENT_SHEET
from tests.dues.register_factories import FACTORIES as DUES_FACTORIES
from tests.integrity.register_factories import FACTORIES as INTEGRITY
from tests.orgs.register_factories import activity_room as activity_room_factory
from tests.orgs.register_factories import election as election_factory
from tests.orgs.register_factories import school_leader as school_leader_factory


@dataclass(frozen=True)
class Route:
    action: str = Action.VIEW
    model: str | None = None  # what the URL's object kwarg names
    post_only: bool = False
    # For routes without an object: which capability the persona needs (else 404).
    needs: str | None = None
    # Status for an object the persona can see but may not act on (the API says 403).
    denied: int = 404
    # Only for unrestricted users (superusers: no persona is one), else 404.
    unrestricted_only: bool = False
    # For routes without an object that depend on the signed-in person's own record (/me/):
    # callable(user) -> whether the page exists for them (else 404).
    own: Callable | None = None
    # Status for a route without an object when the persona lacks `needs` (a confidential
    # register's API list says 403).
    refused: int = 404


# name -> Route. Object kwargs are looked up in MODELS by the Route's model.
ROUTES = {
    "healthz": None,  # public
    "metrics": None,  # 404 unless enabled, for listed hosts only: tests/core/test_metrics.py
    "favicon": None,  # public, a redirect to the static icon
    "stored-file": Route(model="storedfile"),
    "login": None,  # public
    "logout": Route(post_only=True),
    "password_change": Route(),
    "password_change_done": Route(),
    "home": Route(),
    "todo-list": Route(),
    "todo-xlsx": Route(),
    "stats-dashboard": Route(needs=Action.VIEW),
    "stats-dashboard-xlsx": Route(needs=Action.VIEW),
    "stats-tables": Route(needs=Action.VIEW),
    "stats-tables-xlsx": Route(needs=Action.VIEW),
    "stats-report": Route(needs=Action.VIEW),
    "stats-report-docx": Route(needs=Action.VIEW),
    "org-tree": Route(needs=Action.VIEW),
    "org-list": Route(needs=Action.VIEW),
    "org-children": Route(model="org"),
    "org-detail": Route(model="org"),
    "org-create": Route(Action.ADD, "org"),
    "org-edit": Route(Action.CHANGE, "org"),
    "org-move": Route(Action.CHANGE, "org"),
    "org-delete": Route(Action.DELETE, "org", post_only=True),
    "position-create": Route(Action.CHANGE, "org"),
    "position-edit": Route(Action.CHANGE, "position"),
    "position-delete": Route(Action.DELETE, "position", post_only=True),
    "school-list": Route(),
    "school-detail": Route(model="school"),
    "school-create": Route(Action.ADD, needs=Action.ADD),
    "school-edit": Route(Action.CHANGE, "school"),
    "school-delete": Route(Action.DELETE, "school", post_only=True),
    "massorg-create": Route(Action.CHANGE, "school"),
    "massorg-edit": Route(Action.CHANGE, "massorg"),
    "massorg-delete": Route(Action.CHANGE, "massorg", post_only=True),
    "election-list": Route(needs=Action.VIEW),
    "election-create": Route(Action.ADD, needs=Action.ADD),
    "election-detail": Route(model="election"),
    "election-edit": Route(Action.CHANGE, "election"),
    "election-delete": Route(Action.DELETE, "election", post_only=True),
    "election-ballots": Route(Action.CHANGE, "election"),
    "election-approve": Route(Action.CHANGE, "election"),
    "election-correct": Route(Action.CHANGE, "election_correct"),
    "school-leader-list": Route(needs=Action.VIEW),
    "school-leader-create": Route(Action.ADD, needs=Action.ADD),
    "school-leader-detail": Route(model="school_leader"),
    "school-leader-edit": Route(Action.CHANGE, "school_leader"),
    "school-leader-delete": Route(Action.DELETE, "school_leader", post_only=True),
    "school-leadership": Route(needs=Action.VIEW),
    "activity-room-list": Route(needs=Action.VIEW),
    "activity-room-create": Route(Action.ADD, needs=Action.ADD),
    "activity-room-detail": Route(model="activity_room"),
    "activity-room-edit": Route(Action.CHANGE, "activity_room"),
    "activity-room-delete": Route(Action.DELETE, "activity_room", post_only=True),
    "member-list": Route(needs=Action.VIEW),
    "member-detail": Route(model="member"),
    "member-create": Route(Action.ADD, needs=Action.ADD),
    "member-edit": Route(Action.CHANGE, "member"),
    "member-leave": Route(Action.CHANGE, "member"),
    "member-restore": Route(Action.CHANGE, "member"),
    "member-delete": Route(Action.DELETE, "member", post_only=True),
    "member-reveal-id": Route(Action.REVEAL_ID, "member", post_only=True),
    "user-list": Route(Action.MANAGE_USERS, needs=Action.MANAGE_USERS),
    "user-create": Route(Action.MANAGE_USERS, needs=Action.MANAGE_USERS),
    "user-detail": Route(Action.MANAGE_USERS, "user"),
    "user-grant": Route(Action.MANAGE_USERS, "user"),
    "user-password": Route(Action.MANAGE_USERS, "user"),
    "user-activate": Route(Action.MANAGE_USERS, "user", post_only=True),
    "user-revoke": Route(Action.MANAGE_USERS, "role", post_only=True),
    "otp-manage": Route(),
    "otp-setup": Route(),
    "otp-verify": Route(),
    "otp-recovery": Route(post_only=True),
    "otp-disable": Route(post_only=True),
    "security-list": Route(Action.MANAGE_SECURITY, needs=Action.MANAGE_SECURITY),
    "security-unlock": Route(Action.MANAGE_SECURITY, "security_user", post_only=True),
    "security-reset-otp": Route(Action.MANAGE_SECURITY, "security_user", post_only=True),
    "security-end-sessions": Route(Action.MANAGE_SECURITY, "security_user", post_only=True),
    "audit-list": Route(Action.AUDIT, needs=Action.AUDIT),
    "audit-detail": Route(Action.AUDIT, "audit"),
    "api-root": Route(),
    "api-schema": Route(),
    "api-docs": Route(),
    "api-org-list": Route(),
    "api-org-detail": Route(model="org"),
    "api-school-list": Route(),
    "api-school-detail": Route(model="school"),
    "api-member-list": Route(),
    "api-stats-list": Route(needs=Action.VIEW),
    "api-member-detail": Route(model="member"),
    "api-member-reveal-id": Route(Action.REVEAL_ID, "member", post_only=True, denied=403),
    "data-home": Route(Action.ADD, needs=Action.ADD),
    "data-template-orgs": Route(Action.ADD, needs=Action.ADD),
    "data-template-schools": Route(Action.ADD, needs=Action.ADD),
    "data-template-members": Route(Action.ADD, needs=Action.ADD),
    "data-import-orgs": Route(Action.ADD, needs=Action.ADD),
    "data-import-schools": Route(Action.ADD, needs=Action.ADD),
    "data-import-members": Route(Action.ADD, needs=Action.ADD),
    "data-template-recruits": Route(Action.ADD, needs=Action.ADD),
    "data-import-recruits": Route(Action.ADD, needs=Action.ADD),
    "data-job": Route(model="importjob"),
    "data-job-progress": Route(model="importjob"),
    "data-job-report": Route(model="importjob"),
    "data-job-confirm": Route(Action.CHANGE, "importjob", post_only=True),
    "data-export-orgs": Route(),
    "data-export-schools": Route(),
    "data-export-members": Route(),
    "recruit-board": Route(needs=Action.VIEW),
    "recruit-list": Route(),
    "recruit-export": Route(),
    "recruit-org-board": Route(model="org"),
    "recruit-settings": Route(Action.CHANGE, "org"),
    "recruit-create": Route(Action.ADD, needs=Action.ADD),
    "recruit-sources": Route(),
    "recruit-rules": Route(),
    "recruit-rules-load": Route(unrestricted_only=True),
    "recruit-rules-export": Route(model="ruleset"),
    "recruit-sanctions": Route(),
    "recruit-sanction-create": Route(Action.CHANGE, needs=Action.CHANGE),
    "recruit-sanction-detail": Route(model="sanction"),
    "recruit-detail": Route(model="recruit"),
    "recruit-timeline": Route(model="recruit"),
    "recruit-edit": Route(Action.CHANGE, "recruit"),
    "recruit-step": Route(Action.CHANGE, "recruit"),
    "recruit-close": Route(Action.CHANGE, "recruit"),
    "recruit-delete": Route(Action.DELETE, "recruit", post_only=True),
    "recruit-documents": Route(model="recruit"),
    "recruit-attachment-add": Route(Action.CHANGE, "recruit"),
    "recruit-step-delete": Route(Action.DELETE, "step", post_only=True),
    "recruit-attachment": Route(model="attachment"),
    "recruit-attachment-delete": Route(Action.CHANGE, "attachment", post_only=True),
    "api-recruit-list": Route(),
    "api-recruit-detail": Route(model="recruit"),
    "api-recruit-steps": Route(Action.CHANGE, "recruit", post_only=True, denied=403),
    "api-sanction-list": Route(),
    "api-sanction-detail": Route(model="sanction"),
    "api-election-list": Route(),
    "api-election-detail": Route(model="election"),
    "api-position-list": Route(),
    "api-position-detail": Route(model="position"),
    "api-school-leader-list": Route(),
    "api-school-leader-detail": Route(model="school_leader"),
    "api-activity-room-list": Route(),
    "api-activity-room-detail": Route(model="activity_room"),
    "notification-list": Route(),
    "notification-open": Route(model="notification", post_only=True),
    "notification-read-all": Route(post_only=True),
    "transfer-list": Route(),
    "transfer-create": Route(Action.ADD, needs=Action.ADD),
    "transfer-detail": Route(model="transfer"),
    "transfer-approve": Route(model="transfer_approve"),
    "transfer-accept": Route(model="transfer_accept"),
    "transfer-return": Route(model="transfer_return"),
    "transfer-cancel": Route(model="transfer_cancel", post_only=True),
    "transfer-branch": Route(needs=Action.CHANGE),
    "letter-list": Route(),
    "letter-detail": Route(model="letter"),
    "letter-issue": Route(needs=Action.CHANGE),
    "letter-receive": Route(needs=Action.ADD),
    "letter-request-decline": Route(Action.CHANGE, "letterrequest"),
    "letter-request-list": Route(needs=Action.VIEW),
    "member-pick": Route(),
    "letter-request-detail": Route(model="letterrequest"),
    "letter-receipt": Route(Action.CHANGE, "letter"),
    "letter-void": Route(Action.CHANGE, "letter", post_only=True),
    "letter-print": Route(model="letter"),
    "flowing-list": Route(),
    "flowing-create": Route(Action.ADD, needs=Action.ADD),
    "flowing-detail": Route(model="flowing"),
    "flowing-edit": Route(Action.CHANGE, "flowing"),
    "flowing-delete": Route(Action.DELETE, "flowing"),
    "flowing-report": Route(Action.CHANGE, "flowing"),
    "decision-list": Route(),
    "decision-create": Route(Action.ADD, needs=Action.ADD),
    "decision-detail": Route(model="decision"),
    "me-home": Route(),
    "me-correction": Route(own=lambda user: own_member(user) is not None),
    "me-transfer": Route(own=lambda user: own_member(user) is not None),
    "me-letter-withdraw": Route(
        own=lambda user: (
            own_member(user) is not None and own_member(user).letter_requests.open().exists()
        )
    ),
    "me-flowing-report": Route(
        own=lambda user: (
            own_member(user) is not None
            and own_member(user).flowing.filter(back_on__isnull=True).exists()
        )
    ),
    "me-report": Route(own=lambda user: writes_reports_today(user)),
    "me-applicant-link": Route(Action.MANAGE_USERS, needs=Action.MANAGE_USERS),
    "me-corrections-list": Route(needs=Action.VIEW),
    "me-corrections-detail": Route(model="correction"),
    "me-corrections-edit": Route(Action.CHANGE, "correction"),
    "me-thought-reports-list": Route(needs=Action.VIEW),
    "me-thought-reports-detail": Route(model="thoughtreport"),
    "api-transfer-list": Route(),
    "api-transfer-detail": Route(model="transfer"),
    "api-letter-request-list": Route(),
    "api-letter-request-detail": Route(model="letterrequest"),
    "api-me": Route(),
    "dutyletter-list": Route(),
    "dutyletter-create": Route(Action.ADD, needs=Action.ADD),
    "dutyletter-detail": Route(model="dutyletter"),
    "dutyletter-edit": Route(Action.CHANGE, "dutyletter"),
    "dutyletter-delete": Route(Action.DELETE, "dutyletter", post_only=True),
    "dutyletter-docx": Route(model="dutyletter"),
    "inspection-list": Route(),
    "inspection-create": Route(Action.ADD, needs=Action.ADD),
    "inspection-detail": Route(model="inspection"),
    "inspection-edit": Route(Action.CHANGE, "inspection"),
    "inspection-delete": Route(Action.DELETE, "inspection", post_only=True),
    "inspection-docx": Route(model="inspection"),
    "rectification-list": Route(),
    "rectification-create": Route(Action.ADD, needs=Action.ADD),
    "rectification-detail": Route(model="rectification"),
    "rectification-edit": Route(Action.CHANGE, "rectification_review"),
    "rectification-delete": Route(Action.DELETE, "rectification_review", post_only=True),
    "rectification-report": Route(Action.CHANGE, "rectification"),
    "rectification-review": Route(Action.CHANGE, "rectification_review"),
    "indicatorset-list": Route(),
    "indicatorset-create": Route(Action.ADD, needs=Action.ADD),
    "indicatorset-detail": Route(model="indicatorset"),
    "indicatorset-ranking-xlsx": Route(model="indicatorset"),
    "indicatorset-edit": Route(Action.CHANGE, "indicatorset"),
    "indicatorset-ranking": Route(model="indicatorset"),
    "indicatorset-open-sheets": Route(Action.CHANGE, "indicatorset", post_only=True),
    "indicatorset-copy": Route(Action.ADD, "indicatorset_copy"),
    "indicatorset-scores-import": Route(Action.CHANGE, "indicatorset"),
    "indicatorset-scores-xlsx": Route(model="indicatorset"),
    "indicatorset-democratic-import": Route(Action.CHANGE, "indicatorset"),
    "scoresheet-detail": Route(model="scoresheet"),
    "scoresheet-review": Route(Action.CHANGE, "scoresheet_review"),
    "scoresheet-self": Route(Action.CHANGE, "scoresheet"),
    "evaluation-list": Route(),
    "evaluation-import": Route(Action.ADD, needs=Action.ADD),
    "evaluation-create": Route(Action.ADD, needs=Action.ADD),
    "evaluation-detail": Route(model="evaluation"),
    "evaluation-edit": Route(Action.CHANGE, "evaluation"),
    "evaluation-delete": Route(Action.DELETE, "evaluation", post_only=True),
    "honour-list": Route(),
    "honour-create": Route(Action.ADD, needs=Action.ADD),
    "honour-detail": Route(model="honour"),
    "honour-edit": Route(Action.CHANGE, "honour"),
    "honour-delete": Route(Action.DELETE, "honour", post_only=True),
    "api-dutyletter-list": Route(),
    "api-dutyletter-detail": Route(model="dutyletter"),
    "api-inspection-list": Route(),
    "api-inspection-detail": Route(model="inspection"),
    "api-rectification-list": Route(),
    "api-rectification-detail": Route(model="rectification"),
    "api-evaluation-list": Route(),
    "api-evaluation-detail": Route(model="evaluation"),
    "risk-list": Route(),
    "risk-detail": Route(model="risk"),
    "risk-create": Route(Action.ADD, needs=Action.ADD),
    "risk-edit": Route(Action.CHANGE, "risk"),
    "risk-delete": Route(Action.DELETE, "risk", post_only=True),
    "api-risk-list": Route(),
    "api-risk-detail": Route(model="risk"),
    "risk-measure-list": Route(),
    "risk-measure-detail": Route(model="measure"),
    "risk-measure-create": Route(Action.CHANGE, needs=Action.CHANGE),
    "risk-measure-edit": Route(Action.CHANGE, "measure"),
    "risk-measure-delete": Route(Action.DELETE, "measure", post_only=True),
    "api-risk-measure-list": Route(),
    "api-risk-measure-detail": Route(model="measure"),
    "integrity-education-list": Route(),
    "integrity-education-detail": Route(model="education"),
    "integrity-education-create": Route(Action.ADD, needs=Action.ADD),
    "integrity-education-edit": Route(Action.CHANGE, "education"),
    "integrity-education-delete": Route(Action.DELETE, "education", post_only=True),
    "integrity-education-attend": Route(Action.CHANGE, "education"),
    "integrity-education-import": Route(Action.CHANGE, "education"),
    # Two ids (the activity, the member): tests/integrity/test_education_attendance.py.
    "integrity-education-attendee-remove": None,
    "api-integrity-education-list": Route(),
    "api-integrity-education-detail": Route(model="education"),
    "petition-list": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE),
    "petition-detail": Route(Action.DISCIPLINE, "petition"),
    "petition-create": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE),
    "petition-edit": Route(Action.DISCIPLINE, "petition"),
    "petition-delete": Route(Action.DISCIPLINE, "petition", post_only=True),
    "api-petition-list": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE, refused=403),
    "api-petition-detail": Route(Action.DISCIPLINE, "petition"),
    "case-list": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE),
    "case-detail": Route(Action.DISCIPLINE, "case"),
    "case-create": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE),
    "case-edit": Route(Action.DISCIPLINE, "case"),
    "case-delete": Route(Action.DISCIPLINE, "case", post_only=True),
    "api-case-list": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE, refused=403),
    "api-case-detail": Route(Action.DISCIPLINE, "case"),
    "admonition-list": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE),
    "admonition-detail": Route(Action.DISCIPLINE, "talk"),
    "admonition-create": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE),
    "admonition-edit": Route(Action.DISCIPLINE, "talk"),
    "admonition-delete": Route(Action.DISCIPLINE, "talk", post_only=True),
    "api-admonition-list": Route(Action.DISCIPLINE, needs=Action.DISCIPLINE, refused=403),
    "api-admonition-detail": Route(Action.DISCIPLINE, "talk"),
    "meeting-list": Route(needs=Action.VIEW),
    "groupmember-list": Route(needs=Action.VIEW),
    "groupmember-create": Route(Action.ADD, needs=Action.ADD),
    "groupmember-detail": Route(model="groupmember"),
    "groupmember-edit": Route(Action.CHANGE, "groupmember"),
    "groupmember-delete": Route(Action.DELETE, "groupmember", post_only=True),
    "meeting-create": Route(Action.ADD, needs=Action.ADD),
    "meeting-detail": Route(model="meeting"),
    "meeting-edit": Route(Action.CHANGE, "meeting"),
    "meeting-delete": Route(Action.DELETE, "meeting", post_only=True),
    "meeting-observer": Route(Action.CHANGE, "meeting", post_only=True),
    "meeting-close": Route(Action.CHANGE, "meeting", post_only=True),
    "meeting-file-add": Route(Action.CHANGE, "meeting", post_only=True),
    "meeting-file-delete": Route(Action.CHANGE, "meeting", post_only=True),
    "meeting-signin": Route(Action.CHANGE, "meeting"),
    "meeting-signin-qr": Route(Action.CHANGE, "meeting"),
    "meeting-review": Route(Action.CHANGE, "review_meeting"),
    "attendance-mark": Route(Action.CHANGE, "attendance", post_only=True),
    "life-compliance": Route(needs=Action.VIEW),
    "life-compliance-cell": Route(model="branch"),
    "series-list": Route(needs=Action.VIEW),
    "series-create": Route(Action.ADD, needs=Action.ADD),
    "series-detail": Route(model="series"),
    "series-delete": Route(Action.DELETE, "series", post_only=True),
    "frequency-list": Route(needs=Action.VIEW),
    "me-meetings": Route(),
    "me-meeting-signin": Route(),
    "api-meeting-list": Route(),
    "api-meeting-detail": Route(model="meeting"),
    "pairing-list": Route(),
    "pairing-detail": Route(model="pairing"),
    "pairing-create": Route(Action.ADD, needs=Action.ADD),
    "pairing-edit": Route(Action.CHANGE, "pairing"),
    "pairing-delete": Route(Action.DELETE, "pairing"),
    "api-pairing-list": Route(),
    "api-pairing-detail": Route(model="pairing"),
    "assistance-list": Route(),
    "assistance-detail": Route(model="assistance"),
    "assistance-create": Route(Action.ADD, needs=Action.ADD),
    "assistance-edit": Route(Action.CHANGE, "assistance"),
    "assistance-delete": Route(Action.DELETE, "assistance"),
    "assistance-photo-add": Route(Action.CHANGE, "assistance", post_only=True),
    "assistance-photo-delete": Route(Action.CHANGE, "assistance", post_only=True),
    "api-assistance-list": Route(),
    "api-assistance-detail": Route(model="assistance"),
    "training-list": Route(),
    "training-detail": Route(model="training"),
    "training-create": Route(Action.ADD, needs=Action.ADD),
    "training-edit": Route(Action.CHANGE, "training"),
    "training-delete": Route(Action.DELETE, "training"),
    "api-training-list": Route(),
    "api-training-detail": Route(model="training"),
    "course-list": Route(),
    "course-detail": Route(model="course"),
    "course-create": Route(Action.ADD, needs=Action.ADD),
    "course-edit": Route(Action.CHANGE, "course"),
    "course-delete": Route(Action.DELETE, "course"),
    "api-course-list": Route(),
    "api-course-detail": Route(model="course"),
    "attendance-list": Route(),
    "attendance-detail": Route(model="training_attendance"),
    "attendance-delete": Route(Action.DELETE, "training_attendance"),
    "api-attendance-list": Route(),
    "api-attendance-detail": Route(model="training_attendance"),
    "mentorship-list": Route(),
    "mentorship-detail": Route(model="mentorship"),
    "mentorship-create": Route(Action.ADD, needs=Action.ADD),
    "mentorship-edit": Route(Action.CHANGE, "mentorship"),
    "mentorship-delete": Route(Action.DELETE, "mentorship"),
    "api-mentorship-list": Route(),
    "api-mentorship-detail": Route(model="mentorship"),
    "research-list": Route(),
    "research-detail": Route(model="research"),
    "research-create": Route(Action.ADD, needs=Action.ADD),
    "research-edit": Route(Action.CHANGE, "research"),
    "research-delete": Route(Action.DELETE, "research"),
    "api-research-list": Route(),
    "api-research-detail": Route(model="research"),
    "training-attend": Route(Action.CHANGE, "training"),
    "training-import": Route(Action.CHANGE, "training"),
    "training-signin": Route(Action.CHANGE, "training"),
    "training-signin-qr": Route(Action.CHANGE, "training"),
    "training-signin-open": Route(Action.CHANGE, "training", post_only=True),
    "training-signin-close": Route(Action.CHANGE, "training", post_only=True),
    "training-me-signin": Route(),
    "training-photo-add": Route(Action.CHANGE, "training", post_only=True),
    "training-photo-delete": Route(Action.CHANGE, "training", post_only=True),
    "training-hours": Route(needs=Action.VIEW),
    "training-rotation": Route(needs=Action.VIEW),
    "fivegood-list": Route(),
    "fivegood-create": Route(Action.ADD, needs=Action.ADD),
    "fivegood-detail": Route(model="fivegood"),
    "fivegood-edit": Route(Action.CHANGE, "fivegood"),
    "fivegood-delete": Route(Action.DELETE, "fivegood"),
    "fivegood-review": Route(Action.CHANGE, "fivegood_review"),
    "demopoint-list": Route(),
    "demopoint-create": Route(Action.ADD, needs=Action.ADD),
    "demopoint-detail": Route(model="demopoint"),
    "demopoint-edit": Route(Action.CHANGE, "demopoint"),
    "demopoint-delete": Route(Action.DELETE, "demopoint"),
    "demopoint-step": Route(Action.CHANGE, "demopoint_step"),
    "demopoint-tracker": Route(needs=Action.VIEW),
    "starrating-list": Route(),
    "starrating-create": Route(Action.CHANGE, needs=Action.CHANGE),
    "starrating-detail": Route(model="starrating"),
    "starrating-edit": Route(Action.CHANGE, "starrating"),
    "starrating-delete": Route(Action.DELETE, "starrating"),
    "commitment-list": Route(),
    "commitment-create": Route(Action.CHANGE, needs=Action.CHANGE),
    "commitment-detail": Route(model="commitment"),
    "commitment-edit": Route(Action.CHANGE, "commitment"),
    "commitment-delete": Route(Action.DELETE, "commitment"),
    "commitment-review": Route(Action.CHANGE, "commitment"),
    # The member's own consent to publishing (from /me/): their own commitments only.
    "commitment-consent": Route(model="commitment_own", post_only=True),
    "vanguardpost-list": Route(),
    "vanguardpost-create": Route(Action.ADD, needs=Action.ADD),
    "vanguardpost-detail": Route(model="vanguardpost"),
    "vanguardpost-edit": Route(Action.CHANGE, "vanguardpost"),
    "vanguardpost-delete": Route(Action.DELETE, "vanguardpost"),
    "exemplar-list": Route(),
    "exemplar-create": Route(Action.ADD, needs=Action.ADD),
    "exemplar-detail": Route(model="exemplar"),
    "exemplar-edit": Route(Action.CHANGE, "exemplar"),
    "exemplar-delete": Route(Action.DELETE, "exemplar"),
    "exemplar-publish": Route(Action.CHANGE, "exemplar"),
    "exemplar-photo-add": Route(Action.CHANGE, "exemplar"),
    "exemplar-photo-delete": Route(Action.CHANGE, "exemplar", post_only=True),
    "starcriteria-list": Route(needs=Action.VIEW),
    # City-wide criteria: set by those who may change a whole tree (a callable of the user).
    "starcriteria-create": Route(own=excellence.may_set_criteria),
    "starcriteria-edit": Route(Action.CHANGE, "starcriteria"),
    "starcriteria-copy": Route(Action.CHANGE, "starcriteria"),
    "fivegood-checklists": Route(needs=Action.VIEW),
    "fivegood-checklist-create": Route(own=excellence.may_set_criteria),
    "fivegood-checklist-edit": Route(Action.CHANGE, "fivegoodchecklist"),
    "fivegood-checklist-copy": Route(Action.CHANGE, "fivegoodchecklist"),
    "campaign-list": Route(),
    "campaign-create": Route(Action.ADD, needs=Action.ADD),
    "campaign-detail": Route(model="campaign"),
    "campaign-edit": Route(Action.CHANGE, "campaign"),
    "campaign-delete": Route(Action.DELETE, "campaign"),
    "api-demopoint-list": Route(),
    "api-demopoint-detail": Route(model="demopoint"),
    "api-starrating-list": Route(),
    "api-starrating-detail": Route(model="starrating"),
    "api-commitment-list": Route(),
    "api-commitment-detail": Route(model="commitment"),
    "api-exemplar-list": Route(),
    "api-exemplar-detail": Route(model="exemplar"),
    # 党费
    "dues-list": Route(),
    "dues-detail": Route(model="duesmonth"),
    "duespayment-list": Route(),
    "duespayment-create": Route(Action.ADD, needs=Action.ADD),
    "duespayment-detail": Route(model="duespayment"),
    "duespayment-delete": Route(Action.DELETE, "duespayment", post_only=True),
    "duesbase-list": Route(),
    "duesbase-create": Route(Action.ADD, needs=Action.ADD),
    "duesbase-detail": Route(model="duesbase"),
    "duesbase-edit": Route(Action.CHANGE, "duesbase"),
    "duesbase-delete": Route(Action.DELETE, "duesbase", post_only=True),
    "dues-base-import": Route(Action.CHANGE, needs=Action.CHANGE),
    "duesreduction-list": Route(),
    "duesreduction-create": Route(Action.ADD, needs=Action.ADD),
    "duesreduction-detail": Route(model="duesreduction"),
    "duesreduction-delete": Route(Action.DELETE, "duesreduction", post_only=True),
    "dues-reduction-decide": Route(Action.CHANGE, "duesreduction", post_only=True),
    "dues-voluntary": Route(Action.ADD, needs=Action.ADD),
    "dues-totals": Route(needs=Action.VIEW),
    "dues-rates": Route(needs=Action.VIEW),
    "dues-member": Route(model="member"),
    "dues-statement": Route(model="member"),
    "dues-receipt": Route(model="duespayment"),
    "api-dues-list": Route(),
    "api-dues-detail": Route(model="duesmonth"),
    "api-duespayment-list": Route(),
    "api-duespayment-detail": Route(model="duespayment"),
    # 党务公开 and the document library; the portal is public
    "document-list": Route(),
    "document-create": Route(Action.ADD, needs=Action.ADD),
    "document-detail": Route(model="document"),
    "document-edit": Route(Action.CHANGE, "document"),
    "document-delete": Route(Action.DELETE, "document", post_only=True),
    "document-version-add": Route(Action.CHANGE, "document"),
    "document-version": Route(model="documentversion"),
    "api-document-list": Route(),
    "api-document-detail": Route(model="document"),
    "publication-list": Route(),
    "publication-create": Route(Action.ADD, needs=Action.ADD),
    "publication-detail": Route(model="publication"),
    "publication-dues": Route(Action.ADD, needs=Action.ADD),
    "publication-withdraw": Route(Action.CHANGE, "publication", post_only=True),
    "publication-from-meeting": Route(Action.ADD, "meeting"),
    "publication-from-exemplar": Route(Action.ADD, "exemplar"),
    "portal": None,
    "portal-org": None,
    "portal-publication": None,
    "portal-file": None,
    "portal-commitments": None,
}


def writes_reports_today(user) -> bool:
    member = own_member(user)
    recruit = own_recruit(user, member)
    return writes_reports(member, recruit, dt.date.today())


def transfers_where(test):
    return lambda user, action: Transfer.objects.filter(
        pk__in=[t.pk for t in Transfer.objects.all() if test(user, t)]
    )


def scoped(model):
    return lambda user, action: model.objects.all().restrict(user, action)


MODELS = {
    "org": (Organization, scoped(Organization)),
    "school": (School, scoped(School)),
    "member": (Member, scoped(Member)),
    "position": (Position, scoped(Position)),
    "massorg": (MassOrganization, scoped(MassOrganization)),
    "role": (RoleAssignment, scoped(RoleAssignment)),
    "audit": (AuditEntry, scoped(AuditEntry)),
    "user": (get_user_model(), lambda user, action: users_in_scope(user)),
    "importjob": (ImportJob, scoped(ImportJob)),
    "recruit": (Recruit, scoped(Recruit)),
    "step": (Step, scoped(Step)),
    "attachment": (Attachment, scoped(Attachment)),
    "ruleset": (RuleSet, scoped(RuleSet)),
    "sanction": (Sanction, scoped(Sanction)),
    "election": (Election, scoped(Election)),
    # Approved elections: seen by their viewers, corrected by the approving level only.
    "election_correct": (
        Election,
        lambda user, action: (
            Election.objects.restrict(user).filter(approved_on__isnull=False)
            if action == Action.VIEW
            else Election.objects.filter(
                pk__in=[
                    e.pk
                    for e in Election.objects.filter(approved_on__isnull=False)
                    if org_elections.may_correct(user, e)
                ]
            )
        ),
    ),
    "groupmember": (GroupMembership, scoped(GroupMembership)),
    "school_leader": (SchoolLeader, scoped(SchoolLeader)),
    "activity_room": (ActivityRoom, scoped(ActivityRoom)),
    "pairing": (Pairing, scoped(Pairing)),
    "assistance": (Assistance, scoped(Assistance)),
    "training": (Training, scoped(Training)),
    "course": (Course, scoped(Course)),
    "attendance": (Attendance, scoped(Attendance)),
    "mentorship": (Mentorship, scoped(Mentorship)),
    "research": (Research, scoped(Research)),
    "duesmonth": (DuesMonth, scoped(DuesMonth)),
    "duespayment": (DuesPayment, scoped(DuesPayment)),
    "duesbase": (DuesBase, scoped(DuesBase)),
    "duesreduction": (DuesReduction, scoped(DuesReduction)),
    "document": (Document, scoped(Document)),
    "documentversion": (DocumentVersion, scoped(DocumentVersion)),
    "publication": (Publication, scoped(Publication)),
    "security_user": (get_user_model(), lambda user, action: users_in_scope(user, action)),
    "notification": (Notification, lambda user, action: Notification.objects.filter(user=user)),
    "transfer": (Transfer, scoped(Transfer)),
    "transfer_approve": (
        Transfer,
        transfers_where(lambda u, t: t.status == "requested" and lifecycle.may_approve(u, t)),
    ),
    "transfer_accept": (
        Transfer,
        transfers_where(lambda u, t: t.status == "approved" and lifecycle.may_accept(u, t)),
    ),
    "transfer_return": (
        Transfer,
        transfers_where(
            lambda u, t: (
                (t.status == "requested" and lifecycle.may_approve(u, t))
                or (t.status == "approved" and lifecycle.may_accept(u, t))
            )
        ),
    ),
    "transfer_cancel": (
        Transfer,
        transfers_where(lambda u, t: t.is_open and lifecycle.may_cancel(u, t)),
    ),
    "letter": (Letter, scoped(Letter)),
    "letterrequest": (  # only an open request can be declined
        LetterRequest,
        lambda user, action: LetterRequest.objects.open().restrict(user, action),
    ),
    "flowing": (Flowing, scoped(Flowing)),
    "decision": (StatusDecision, scoped(StatusDecision)),
    "correction": (Correction, scoped(Correction)),
    "thoughtreport": (ThoughtReport, scoped(ThoughtReport)),
    "meeting": (Meeting, scoped(Meeting)),
    "review_meeting": (
        Meeting,
        lambda user, action: Meeting.objects.restrict(user, action).filter(kind="review"),
    ),
    "training_attendance": (TrainingAttendance, scoped(TrainingAttendance)),
    "series": (Series, scoped(Series)),
    "branch": (
        Organization,
        lambda user, action: Organization.objects.restrict(user, action).filter(
            kind__in=BRANCH_KINDS
        ),
    ),
    "storedfile": (
        StoredFile,
        lambda user, action: StoredFile.objects.filter(
            pk__in=[f.pk for f in StoredFile.objects.all() if uploads.may_read(user, f)]
        ),
    ),
    "dutyletter": (ResponsibilityLetter, scoped(ResponsibilityLetter)),
    "inspection": (Inspection, scoped(Inspection)),
    "rectification": (Rectification, scoped(Rectification)),
    # Acted on by the inspecting side: items of inspections the user may act on.
    "rectification_review": (
        Rectification,
        lambda user, action: Rectification.objects.filter(
            inspection__in=Inspection.objects.restrict(user, action)
        ),
    ),
    "indicatorset": (IndicatorSet, scoped(IndicatorSet)),
    # Copied by who may add a set at the issuing org.
    "indicatorset_copy": (
        IndicatorSet,
        lambda user, action: IndicatorSet.objects.filter(
            org__in=Organization.objects.restrict(user, action)
        ),
    ),
    "scoresheet": (ScoreSheet, scoped(ScoreSheet)),
    # The assessor's scores: sheets of sets the user may change (the issuing org's side).
    "scoresheet_review": (
        ScoreSheet,
        lambda user, action: ScoreSheet.objects.filter(
            indicator_set__in=IndicatorSet.objects.restrict(user, action)
        ),
    ),
    "evaluation": (Evaluation, scoped(Evaluation)),
    "honour": (Honour, scoped(Honour)),
    "risk": (Risk, scoped(Risk)),
    "measure": (Measure, scoped(Measure)),
    "education": (Education, scoped(Education)),
    "petition": (Petition, scoped(Petition)),
    "case": (Case, scoped(Case)),
    "talk": (Talk, scoped(Talk)),
    "fivegood": (FiveGoodCheck, scoped(FiveGoodCheck)),
    "fivegood_review": (FiveGoodCheck, lambda user, action: excellence.reviewable_checks(user)),
    "demopoint": (DemonstrationPoint, scoped(DemonstrationPoint)),
    "demopoint_step": (
        DemonstrationPoint,
        lambda user, action: excellence.decidable_points(user),
    ),
    "starrating": (StarRating, scoped(StarRating)),
    "commitment": (Commitment, scoped(Commitment)),
    "commitment_own": (
        Commitment,
        lambda user, action: Commitment.objects.filter(member__user_id=user.pk),
    ),
    "vanguardpost": (Post, scoped(Post)),
    "exemplar": (Exemplar, scoped(Exemplar)),
    "campaign": (Campaign, scoped(Campaign)),
    # The latest version first: the unused one excellence_objects adds (editable).
    "fivegoodchecklist": (
        FiveGoodChecklist,
        lambda user, action: (
            FiveGoodChecklist.objects.order_by("-effective_from")
            if action == Action.VIEW or excellence.may_set_criteria(user)
            else FiveGoodChecklist.objects.none()
        ),
    ),
    "starcriteria": (
        StarCriteria,
        lambda user, action: (
            StarCriteria.objects.all()
            if action == Action.VIEW or excellence.may_set_criteria(user)
            else StarCriteria.objects.none()
        ),
    ),
}


def all_patterns(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from all_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if "format" in pattern.pattern.regex.groupindex:
                continue  # DRF's .json suffix twins of the same views
            if prefix.startswith("static") or str(pattern.pattern).startswith("static"):
                continue
            yield pattern


def test_it_has_a_route_entry_for_every_url_pattern():
    names = {p.name for p in all_patterns()}
    assert None not in names, "every URL pattern needs a name"
    missing = names - set(ROUTES)
    assert not missing, f"add these URL names to ROUTES: {sorted(missing)}"
    stale = set(ROUTES) - names
    assert not stale, f"ROUTES names no longer in urls: {sorted(stale)}"


def extra_objects(world):
    """Objects the shared world lacks, one in each county."""
    for org in (world.orgs["ba"], world.orgs["bx"]):
        org_services.save_position(
            CLI,
            Position(org=org, title="secretary", holder_name="书记", start_on=dt.date(2024, 1, 1)),
        )
    for school in (world.schools["a"], world.schools["x"]):
        org_services.save_mass_org(CLI, MassOrganization(school=school, kind="union"))
    for org in (world.orgs["ba"], world.orgs["bx"]):
        uploads.save(CLI, pdf_upload(), org_path=org.path)
    for member in (world.members["a1"], world.members["x1"]):
        recruitment_services.record_sanction(
            CLI, member, kind="warning", start_on=dt.date(2024, 1, 1)
        )
    for key in ("ba", "bx"):
        election_factory(world, world.orgs[key], 0)
        # An approved 考察任命, older than the open ones (which the election routes take first).
        approved = org_elections.create_election(
            CLI,
            org=world.orgs[key],
            formed_by="appointment",
            committee=False,
            seats=1,
            held_on=dt.date(2023, 6, 1),
        )
        org_elections.record_appointees(
            CLI, approved, [{"member": None, "name": "任命书记", "title": "secretary"}]
        )
        org_elections.approve_election(CLI, approved, approved_on=dt.date(2023, 6, 10))
        life_services.assign_to_group(
            CLI,
            member=world.members["a2" if key == "ba" else "x2"],
            group=add_org(world.orgs[key], f"T-{key.upper()}-GRP", f"{key}党小组", "group"),
            start_on=dt.date(2024, 1, 1),
        )
    for key in ("ba", "bx"):
        school_leader_factory(world, world.orgs[key], 0)
        activity_room_factory(world, world.orgs[key], 0)
    lifecycle_objects(world)


def lifecycle_objects(world):
    """Transfers at each step, a letter, a 流动党员, a decision, a correction and a 思想汇报
    in both counties; the member persona (a1) is away as a 流动党员 and has a request."""
    o, m = world.orgs, world.members
    lifecycle.request_transfer(CLI, m["a2"], to_org=o["bb"])
    approved = lifecycle.request_transfer(CLI, m["b2"], to_org=o["jb"])
    lifecycle.approve_transfer(CLI, approved)
    lifecycle.request_transfer(CLI, m["x2"], to_org=o["ba"])
    lifecycle.request_transfer(world.users["member"], m["a1"], to_org=o["jb"])
    for member, number in ((m["b3"], "W-1"), (m["x1"], "W-2")):
        lifecycle.issue_letter(
            CLI, member, number=number, other_org_name="外省党支部", issued_on=dt.date(2025, 1, 2)
        )
    for org in (o["bb"], o["bx"]):  # an open request for a letter in each county
        lifecycle.request_letter(
            CLI, add_member(org, f"{org.name}申请人"), other_org_name="外省某党支部"
        )
    for member in (m["a1"], m["d1"]):
        lifecycle.register_flowing(CLI, member, out_on=dt.date(2025, 1, 1), destination="深圳")
    for member in (m["c1"],):
        lifecycle.decide(CLI, member, kind="deceased", on=dt.date(2025, 2, 1))
    selfservice.request_correction(world.users["member"], field="联系电话", text="13900000000")
    for org, key in ((o["ba"], "a"), (o["bx"], "x")):
        person = add_member(org, f"预备{key}", joined=dt.date(2026, 3, 1), converted=None)
        account = add_user(f"prob-{key}", org, "member_self", member=person)
        selfservice.submit_thought_report(account, title="思想汇报", upload=pdf_upload())
        notify(account, "提醒", "/me/")
    notify(world.users["member"], "提醒", "/me/")
    for i, org in enumerate((world.orgs["ba"], world.orgs["bx"])):
        for factory in ASSESSMENT.values():
            factory(world, org, i)
    for issuer, scored in (("gb", "ba"), ("county2", "bx")):  # a score sheet in each county
        ASSESSMENT_SHEET(world, world.orgs[issuer], world.orgs[scored])
    for i, org in enumerate((world.orgs["ba"], world.orgs["bx"])):
        for name in ("risk-measure", "integrity-education", "petition", "case", "admonition"):
            INTEGRITY[name](world, org, i)
    for org in (world.orgs["ba"], world.orgs["bx"]):
        for kind in ("general", "review"):
            life_services.create_meeting(
                CLI, org=org, kind=kind, title=f"{org.name}{kind}", held_on=dt.date(2025, 3, 1)
            )
        life_services.create_series(
            CLI,
            org=org,
            name=f"{org.name}系列",
            start_on=dt.date(2025, 1, 1),
            end_on=dt.date(2025, 12, 31),
            items=[("上一次党课", "lecture")],
        )
    for i, key in enumerate(("ba", "bx")):
        for make in (*OUTREACH_FACTORIES.values(), *TRAINING_FACTORIES.values()):
            make(world, world.orgs[key], i)
    excellence_objects(world)


def excellence_objects(world):
    from tests.excellence.register_factories import FACTORIES

    for i, key in enumerate(("ba", "bb", "bx")):
        for factory in FACTORIES.values():
            factory(world, world.orgs[key], i)
    # A year's criteria nobody was rated under yet (editable by the city's administrator).
    excellence.create_star_criteria(
        CLI, year=dt.date.today().year + 1, items="政治素质", meanings={}, caps={"5": 20}
    )
    # A "五个好" checklist version taking effect next year, no check made against it yet.
    excellence.create_checklist(
        CLI,
        name="明年的“五个好”标准",
        effective_from=dt.date(dt.date.today().year + 1, 1, 1),
        items={
            key: "细目" for key in ("leadership", "members", "mechanism", "results", "reputation")
        },
    )
    # The member persona's own commitment (their /me/ consent).
    excellence.make_commitment(
        CLI,
        world.members["a1"],
        year=dt.date.today().year,
        text="本人承诺",
        made_on=dt.date.today(),
    )
    for org in (world.orgs["ba"], world.orgs["bx"]):
        for name, make in DUES_FACTORIES.items():
            make(world, org, 0 if name != "dues" else 1)


def pattern_kwargs(pattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def url_for(pattern, obj) -> str:
    kwargs = {name: obj.pk for name in pattern_kwargs(pattern)}
    return reverse(pattern.name, kwargs=kwargs)


def is_chinese_404_page(response) -> bool:
    """Out of scope looks like missing: the Chinese page in the layout, with a way home."""
    body = response.content.decode()
    return (
        'lang="zh-Hans"' in body
        and "您访问的页面不存在" in body
        and 'href="/"' in body
        and "Not Found" not in body
    )


def call(client, route, url):
    if route.post_only:
        return client.post(url)
    return client.get(url)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_every_url_for_every_persona(persona, world, login):
    extra_objects(world)
    client = login(world, persona)
    user = world.users.get(persona)
    problems = []
    for pattern in all_patterns():
        route = ROUTES[pattern.name]
        if route is None:
            continue
        is_api = pattern.name.startswith("api-")
        if pattern_kwargs(pattern):
            model, lookup = MODELS[route.model]
            if user is None:
                targets = [(model.objects.first(), None)]
            else:
                allowed = lookup(user, route.action)
                seen = lookup(user, Action.VIEW)
                others = model.objects.exclude(pk__in=allowed.values("pk"))
                targets = [
                    (allowed.first(), 200),
                    (others.filter(pk__in=seen.values("pk")).first(), route.denied),
                    (others.exclude(pk__in=seen.values("pk")).first(), 404),
                ]
        else:
            expected = 200
            if user is not None and route.needs and not can(user, route.needs):
                expected = route.refused
            if user is not None and route.unrestricted_only and not is_unrestricted(user):
                expected = 404
            if user is not None and route.own is not None and not route.own(user):
                expected = 404
            targets = [(None, None if user is None else expected)]
        for obj, expected in targets:
            if pattern_kwargs(pattern) and obj is None:
                continue
            url = url_for(pattern, obj) if obj is not None else reverse(pattern.name)
            if route.post_only and expected == 200:
                continue  # destructive in scope: covered by each view's own tests
            response = call(client, route, url)
            status = response.status_code
            if user is None:
                ok = (
                    status == 401
                    if is_api
                    else (status == 302 and "/accounts/login/" in response.url)
                )
                if pattern.name == "logout":
                    ok = status in (200, 302)
            else:
                ok = status == expected or (expected == 200 and status == 302 and route.post_only)
                if ok and status == 404 and not is_api and not is_chinese_404_page(response):
                    problems.append(f"{pattern.name} {url} → 404 without the Chinese page")
            if not ok:
                problems.append(
                    f"{pattern.name} {url} → {status}, expected {expected or 'login/401'}"
                )
    assert not problems, f"{persona}:\n" + "\n".join(problems)
