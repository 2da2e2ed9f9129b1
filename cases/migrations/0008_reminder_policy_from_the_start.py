from django.db import migrations


def create_the_policy(apps, schema_editor):
    """The reminder policy with its shipped defaults, so staff find it in admin before the first case."""
    apps.get_model("cases", "ReminderPolicy").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_delivery_retry_at")]

    operations = [migrations.RunPython(create_the_policy, migrations.RunPython.noop)]
