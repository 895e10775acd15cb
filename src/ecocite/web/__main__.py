"""Run ``python -m ecocite.web``: the same as the ``ecocite-web`` command."""

from ecocite.web.serve import main

main()
