"""公民身份号码 encrypted at rest, step 3 of 3: the clear column goes; uniqueness moves to the
keyed hash."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0003_encrypt_id_numbers"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="member",
            name="id_number",
        ),
        migrations.AlterField(
            model_name="member",
            name="id_hash",
            field=models.CharField(
                editable=False,
                error_messages={"unique": "公民身份号码已存在"},
                max_length=64,
                unique=True,
                verbose_name="公民身份号码(查找摘要)",
            ),
        ),
    ]
