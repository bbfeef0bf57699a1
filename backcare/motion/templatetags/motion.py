"""``{% session_motion session as summaries %}``: the motion results of one logged session, as the
page's user may see them (the history page's read is audited once, as ``logbook.history.view``)."""

from typing import Any

from django import template

from backcare.logbook.models import Session
from backcare.motion.models import MotionAnalysis
from backcare.motion.services import AnalysisSummary, summarise

register = template.Library()


@register.simple_tag(takes_context=True)
def session_motion(context: dict[str, Any], session: Session) -> list[AnalysisSummary]:
    """The session's analyses in exercise order, oldest upload first, summarised for display."""
    analyses = (
        MotionAnalysis.objects.for_actor(context["request"].user)
        .filter(exercise_log__session=session)
        .select_related("exercise_log__item__exercise")
        .order_by("exercise_log__item__position", "created_at", "id")
    )
    return [summarise(analysis) for analysis in analyses]
