import json
from pathlib import Path

from django.db import migrations

STEPS = Path(__file__).resolve().parent.parent / "content" / "diagnosis.json"


def create_default_steps(apps, schema_editor):
    step_model = apps.get_model("faq", "DiagnosisStep")
    if step_model.objects.exists():
        return
    for order, step in enumerate(json.loads(STEPS.read_text(encoding="utf-8")), start=1):
        step_model.objects.create(display_order=order * 10, **step)


class Migration(migrations.Migration):
    dependencies = [("faq", "0003_diagnosisstep_historicaldiagnosisstep_answerevent")]
    operations = [migrations.RunPython(create_default_steps, migrations.RunPython.noop)]
