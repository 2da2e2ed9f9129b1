from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from faq.models import DiagnosisStep, Entry, ExampleQuestion, IndexGeneration, SynonymGroup


@receiver(post_save, sender=Entry)
@receiver(post_delete, sender=Entry)
@receiver(post_save, sender=DiagnosisStep)
@receiver(post_delete, sender=DiagnosisStep)
@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
@receiver(post_save, sender=ExampleQuestion)
@receiver(post_delete, sender=ExampleQuestion)
def invalidate_search_indexes(**kwargs) -> None:
    IndexGeneration.bump()
