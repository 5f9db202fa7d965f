"""``python -m haven.language FILE...`` runs the language checker."""

from haven.commandline import exit_quickly

from .cli import main

exit_quickly(main())
