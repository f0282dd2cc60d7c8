from django.db import models

from dangjian.orgs.models import Organization, School


class PlainMember(models.Model):
    """The member record as a plain model (ID number in clear, no history, no audit): the
    most favourable shape for django-import-export."""

    name = models.CharField(max_length=50)
    sex = models.CharField(max_length=6)
    ethnicity = models.CharField(max_length=10)
    id_number = models.CharField(max_length=18, unique=True)
    birth_date = models.DateField(null=True, blank=True)
    education = models.CharField(max_length=30)
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    work_unit = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person_type = models.CharField(max_length=20)
    category = models.CharField(max_length=20)
    joined_on = models.DateField()
    converted_on = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=50, blank=True)
    backbone = models.CharField(max_length=20, blank=True)

    class Meta:
        app_label = "bench_ie"

    def __str__(self) -> str:
        return self.name
