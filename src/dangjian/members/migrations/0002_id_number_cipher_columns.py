"""公民身份号码 encrypted at rest, step 1 of 3: the new columns (ciphertext, keyed lookup
hash, visible suffix) next to the clear one, which loses its unique constraint."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="id_cipher",
            field=models.TextField(default="", editable=False, verbose_name="公民身份号码(密文)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="member",
            name="id_hash",
            field=models.CharField(
                editable=False, max_length=64, null=True, verbose_name="公民身份号码(查找摘要)"
            ),
        ),
        migrations.AddField(
            model_name="member",
            name="id_suffix",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=4,
                verbose_name="身份证号后4位",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="member",
            name="id_number",
            field=models.CharField(max_length=18, null=True, verbose_name="公民身份号码"),
        ),
    ]
