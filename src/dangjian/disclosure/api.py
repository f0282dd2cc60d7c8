"""`/api/documents/` (INTERFACES 8): the library's documents, scoped, searchable by names and
contents (`?search=`), with the current version's download link."""

from rest_framework import serializers

from dangjian.core.registers.api import RegisterSerializer, RegisterViewSet
from dangjian.disclosure.models import Document
from dangjian.disclosure.registers import DocumentRegister


class DocumentSerializer(RegisterSerializer):
    org = serializers.CharField(source="org.code", read_only=True, help_text="党组织代码")

    class Meta:
        model = Document
        fields = [
            "id",
            "org",
            "category",
            "category_display",
            "title",
            "description",
            "issued_on",
            "version_count",
            "created_at",
            "updated_at",
        ]


class DocumentViewSet(RegisterViewSet):
    """文件资料库."""

    register = DocumentRegister.instance
    serializer_class = DocumentSerializer
