"""The agency id, defined once: `<region code>-<sector>` (contract: 6-digit 行政区划代码, or the 9-digit 乡级 code of a
township body), e.g. 310105-health, 430424106-gov. Used by the manifest, the package schemas, the redirects and
identification alike."""

from __future__ import annotations

import re

AGENCY_ID_PATTERN = r"(\d{6}|\d{9})-([a-z][a-z0-9_-]*)"
AGENCY_ID = re.compile(f"^{AGENCY_ID_PATTERN}$")
