"""Signals the place tree sends, so apps that copy place paths can follow a moved subtree."""

from django.dispatch import Signal

# Sent inside move_place()'s transaction after the places' paths are rewritten, with
# old_prefix and new_prefix. A receiver that copies paths (cases keep `place_path` for one-range
# inbox scans) rewrites its rows in the same transaction. A signal, not an import, because the
# place tree is a foundation app and must not import the domain apps built on it.
subtree_moved = Signal()
