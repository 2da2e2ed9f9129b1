"""Where tests find the repository and the shared folder beside it (importable without Django)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WXBIND_SHARED_DIR", REPO.parent / "shared"))
