"""示例市's 党务公开 and library, relative to the day the demo is built: a 发展对象公示 in
progress on the portal's front page (the demo branch's among them), live notices of the
city, the counties and the demo branch, and documents at every level of the tree."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from dangjian.core.models import AuditAction, AuditEntry
from dangjian.disclosure.models import Document, Publication
from dangjian.disclosure.views import publicity_steps
from dangjian.orgs.models import BRANCH_KINDS, Organization, OrgKind


def test_the_portal_shows_a_publicity_and_notices_in_force_today(city, client):
    today = timezone.localdate()
    steps = list(publicity_steps(None, today))
    assert steps and all(s.on <= today <= s.end_on for s in steps)
    assert any(s.recruit.org.name == "示例区第三中学党支部" for s in steps)
    page = client.get(reverse("portal")).content.decode()
    assert steps[0].recruit.name in page and "拟发展为中共预备党员的公示" in page
    notices = Publication.objects.live(today).filter(kind="notice")
    assert notices.filter(org__depth=1).exists()
    assert notices.filter(org__depth=2).count() >= 2
    assert notices.filter(org__name="示例区第三中学党支部").exists()
    # Activities and exemplars fed from the modules' records, not typed by hand.
    fed = Publication.objects.live(today).exclude(source_type="")
    assert fed.filter(kind="activity", source_type="meeting", org__name="示例区第三中学党支部")
    assert fed.filter(kind="exemplar", source_type="exemplar").exists()


def test_every_level_keeps_documents(city):
    held = dict(
        Document.objects.order_by()
        .values("org_id")
        .annotate(n=Count("id"))
        .values_list("org_id", "n")
    )
    libraries = Organization.objects.exclude(kind=OrgKind.GROUP)
    assert all(held.get(org.pk, 0) >= 3 for org in libraries)
    categories = set(city.documents.values_list("category", flat=True))
    assert categories == {"rules", "laws", "materials", "templates"}
    branch = (
        Organization.objects.filter(kind__in=BRANCH_KINDS)
        .exclude(name="示例区第三中学党支部")
        .first()
    )
    assert set(branch.documents.values_list("category", flat=True)) == {"rules", "materials"}
    assert Document.objects.filter(org=branch).search("主题党日").exists()
    # One bulk load: the files' batch and the documents', not a row per file.
    batches = AuditEntry.objects.filter(action=AuditAction.CREATE, object_repr="示例市文件资料库")
    assert batches.count() == 2
