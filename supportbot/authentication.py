"""How API clients sign in (DRF settings). A module of its own: DRF imports it while rest_framework.views loads."""

from rest_framework import authentication

from supportbot.admin_language import speak_to


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's API tokens; whoever one signs in is answered in their own language, as in a browser session.

    Middleware cannot do it: DRF reads the token inside the view, after every middleware has run.
    """

    def authenticate(self, request):
        signed_in = super().authenticate(request)
        if signed_in is not None:
            speak_to(request._request, signed_in[0])
        return signed_in
