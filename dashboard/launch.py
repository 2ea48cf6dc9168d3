"""Start the dashboard server (`python -m dashboard.launch [streamlit options]`), the router in charge from the start.

`streamlit run app.py` treats a `pages/` folder beside the entry script as legacy auto-discovered pages until
the first script run has called `st.navigation`; a shared deep link (`/funnel?range=...`) opened as the first
request after a start then shows "Page not found". Our pages are `st.Page`s of the router in app.py, so the
legacy mode is switched off before the server starts. Options are Streamlit's own (`--server.port 8502`).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    """Run `streamlit run app.py` in this process with legacy page discovery disabled."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
