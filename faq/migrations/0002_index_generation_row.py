import uuid

from django.db import migrations


def create_row(apps, schema_editor):
    apps.get_model("faq", "IndexGeneration").objects.get_or_create(pk=1, defaults={"token": uuid.uuid4()})


class Migration(migrations.Migration):
    dependencies = [("faq", "0001_initial")]
    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
