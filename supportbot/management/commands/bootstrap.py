import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from faq.importer import DEFAULT_SYNONYMS, read_synonym_groups
from faq.models import Entry, SynonymGroup
from faq.services import synonyms_import


class Command(BaseCommand):
    help = (
        "Prepare a database for first use: migrate, load the default FAQ and synonyms if empty, "
        "create an admin if none exists."
    )

    def handle(self, *args, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        if not Entry.objects.exists():
            call_command("import_faq", stdout=self.stdout, stderr=self.stderr)
        elif not SynonymGroup.objects.exists():
            # A database from before synonym groups existed: give search the shipped ones.
            report = synonyms_import(groups=read_synonym_groups(DEFAULT_SYNONYMS))
            self.stdout.write(f"Loaded {report.created} synonym groups.")
        self._ensure_admin()

    def _ensure_admin(self) -> None:
        users = get_user_model()
        if users.objects.filter(is_superuser=True).exists():
            return
        # Django's own names (as `createsuperuser --noinput` reads them) work too.
        username = os.environ.get("WXBIND_ADMIN_USERNAME") or os.environ.get("DJANGO_SUPERUSER_USERNAME") or "admin"
        given = os.environ.get("WXBIND_ADMIN_PASSWORD") or os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        password = given or secrets.token_urlsafe(12)
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        users.objects.create_superuser(username=username, email=email, password=password)
        shown = "the password you set" if given else f"password {password} (shown once; change it in admin)"
        self.stdout.write(self.style.SUCCESS(f"Created admin user '{username}' with {shown}"))
