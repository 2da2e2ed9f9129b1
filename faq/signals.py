from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from faq.models import Entry, IndexGeneration


@receiver(post_save, sender=Entry)
@receiver(post_delete, sender=Entry)
def invalidate_search_indexes(**kwargs) -> None:
    IndexGeneration.bump()
