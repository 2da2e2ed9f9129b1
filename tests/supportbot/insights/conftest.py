import os

import pytest
from django.contrib.staticfiles import finders

from supportbot.insights.views import CHART_JS


def require_chart_js() -> None:
    """Chart.js is part of `make install` wherever npm is; CI has npm, so there it must be served."""
    finders.get_finder.cache_clear()
    if finders.find(CHART_JS):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Chart.js is not served (make install runs npm ci; settings serve node_modules/chart.js/dist)")
    pytest.skip("Chart.js is not served (needs npm: make install)")
