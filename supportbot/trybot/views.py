"""Try the bot: staff type what a user would type and see the replies as Slack and as Teams show them.

A chat front end like the others. It reads the page's requests, calls the
conversation core as the signed-in staff member (a trial: a case they open is
real, but statistics do not count them), and renders every reply with both
platforms' own renderers. A button comes back in the shape its platform
sends (a Block Kit action, an Adaptive Card submit) and is read by that
platform's own payload module, so the buttons work here as they do in chat.
"""

from __future__ import annotations

import json
import re
import uuid

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from faq.languages import Language
from supportbot.conversation import dispatch
from supportbot.conversation.grammar import choose_language, parse_command
from supportbot.conversation.people import Person, site_person
from supportbot.conversation.replies import CaseFormErrors, CaseFormRequest, CasePrefill
from supportbot.slack import blocks
from supportbot.slack import html as slack_html
from supportbot.slack import payloads as slack_payloads
from supportbot.teams import cards
from supportbot.teams import payloads as teams_payloads
from supportbot.trybot.assets import card_renderer

# A page's request is a question or a button: far below this.
MAX_BODY_BYTES = 64 * 1024
_FORM_ID = re.compile(r"[0-9a-f]{32}")


class BadRequest(ValueError):
    """What the page sent is not what it sends: said back as a 400, nothing done."""


def home(request: HttpRequest) -> HttpResponse:
    """Staff land on Try the bot; anyone else signs in first."""
    if request.user.is_active and request.user.is_staff:
        return redirect("trybot:page")
    return redirect(f"{reverse('admin:login')}?next={reverse('trybot:page')}")


@require_GET
@staff_member_required(login_url="admin:login")
@ensure_csrf_cookie
def page(request: HttpRequest) -> HttpResponse:
    # The admin's own frame around it: its header, user links and language switcher.
    context = {**admin.site.each_context(request), "renderer": card_renderer(), "title": _("Try the bot")}
    return render(request, "trybot/page.html", context)


@require_POST
def say(request: HttpRequest) -> JsonResponse:
    """Something typed, as after /wxbind or in a chat with the bot."""
    try:
        person = _staff_person(request)
        body = _body(request)
        text = body.get("text")
        if not isinstance(text, str):
            raise BadRequest(_("“text” must be a string."))
        chosen = _language(body.get("language"))
    except PermissionError as error:
        return JsonResponse({"error": str(error)}, status=403)
    except BadRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    command = parse_command(text)
    language = choose_language(explicit=command.language or chosen, locale=None, question=command.question)
    replies = dispatch.respond(command, person=person, language=language)
    return JsonResponse({"turns": [_turn(reply) for reply in replies.replies]})


@require_POST
def act(request: HttpRequest) -> JsonResponse:
    """A button pressed or a case form sent, in the shape its platform sends it."""
    try:
        person = _staff_person(request)
        body = _body(request)
        if body.get("platform") == "slack":
            return JsonResponse(_slack(body, person))
        if body.get("platform") == "teams":
            return JsonResponse(_teams(body, person))
        raise BadRequest(_("“platform” must be “slack” or “teams”."))
    except PermissionError as error:
        return JsonResponse({"error": str(error)}, status=403)
    except (BadRequest, slack_payloads.MalformedPayload, teams_payloads.MalformedActivity) as error:
        return JsonResponse({"error": str(error)}, status=400)


# Each platform's buttons -----------------------------------------------------------------


def _slack(body: dict, person: Person) -> dict:
    if "view" in body:
        return _slack_form(body, person)
    action = slack_payloads.decode(body.get("action"))
    if action is None:
        return {"turns": []}  # a link button: the browser opened it
    return {"turns": [_turn(reply) for reply in dispatch.act(action, person=person).replies]}


def _slack_form(body: dict, person: Person) -> dict:
    """A case modal submitted: its errors shown in it, or the confirmation posted."""
    view = body.get("view")
    if not isinstance(view, dict):
        raise BadRequest(_("“view” must be an object."))
    metadata = view.get("private_metadata")
    prefill = CasePrefill.from_data(slack_payloads.decode_value(metadata))
    outcome = dispatch.submit_case_form(
        person=person,
        prefill=prefill,
        fields=slack_payloads.form_fields(view),
        source_key=f"try:{_form_id(body)}",
    )
    if isinstance(outcome, CaseFormErrors):
        return {"errors": blocks.form_errors(outcome)["errors"]}
    return {"turns": [_turn(outcome)] if outcome else []}


def _teams(body: dict, person: Person) -> dict:
    data = body.get("data")
    if not isinstance(data, dict):
        raise BadRequest(_("“data” must be an object."))
    if teams_payloads.is_case_form(data):
        return _teams_form(body, data, person)
    action = teams_payloads.decode(data)
    if action is None:
        return {"turns": []}
    return {"turns": [_turn(reply) for reply in dispatch.act(action, person=person).replies]}


def _teams_form(body: dict, data: dict, person: Person) -> dict:
    """A case form card submitted: Teams puts the card back with its problems marked, or the confirmation."""
    prefill = CasePrefill.from_data(data)
    fields = teams_payloads.form_fields(data)
    outcome = dispatch.submit_case_form(
        person=person, prefill=prefill, fields=fields, source_key=f"try:{_form_id(body)}"
    )
    replacement = cards.submitted_form_card(dispatch.case_form(prefill), outcome, fields)
    return {"replace": replacement.content} if replacement is not None else {"turns": []}


# Rendering -------------------------------------------------------------------------------


def _turn(reply) -> dict:
    """One reply as both platforms show it."""
    if isinstance(reply, CaseFormRequest):
        # Slack opens a modal for the form; Teams sends it as a card.
        slack = {"messages": [], "modal": slack_html.modal(blocks.case_modal(reply)), "form": _new_form_id()}
        teams = {"cards": [card.content for card in cards.render(reply)], "form": _new_form_id()}
        return {"slack": slack, "teams": teams}
    return {
        "slack": {"messages": [slack_html.message(message.blocks) for message in blocks.render(reply)]},
        "teams": {"cards": [card.content for card in cards.render(reply)]},
    }


def _new_form_id() -> str:
    # One case per form, however often it is sent (as Slack's view id and Teams' card id do in chat).
    return uuid.uuid4().hex


def _form_id(body: dict) -> str:
    form = body.get("form")
    if not isinstance(form, str) or not _FORM_ID.fullmatch(form):
        raise BadRequest(_("“form” must be the id the form came with."))
    return form


# The request -------------------------------------------------------------------------------


def _staff_person(request: HttpRequest) -> Person:
    user = request.user
    if not (user.is_active and user.is_staff):
        raise PermissionError(_("Sign in as staff to try the bot."))
    return site_person(user, trial=True)


def _body(request: HttpRequest) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise BadRequest(_("The request is too large."))
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(_("The request is not JSON.")) from None
    if not isinstance(body, dict):
        raise BadRequest(_("The request must be a JSON object."))
    return body


def _language(value) -> Language | None:
    if value in (None, "", "auto"):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return Language.parse(value)
    except ValueError:
        raise BadRequest(_("“language” must be “auto”, “zh” or “en”.")) from None
