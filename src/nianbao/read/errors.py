"""Why a document cannot be read: a code for machines and one plain sentence for people."""

from __future__ import annotations


class Unreadable(Exception):
    """Raised by a reader when a file cannot become a Document (empty, binary, encrypted, corrupt…)."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code        # kebab-case, e.g. "empty-file", "not-text", "encrypted-pdf"
        self.reason = reason    # one sentence, e.g. "The file is empty."
