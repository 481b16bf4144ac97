#!/usr/bin/env python3
"""Fails when a file with translatable strings is missing from po/POTFILES.in, or when
POTFILES.in names a file that does not exist: xgettext would silently skip the first and
fail on the second."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
listed = set()
for line in (root / "po" / "POTFILES.in").read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

marker_c = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|g_dpgettext2|ngettext)\s*\(')
marker_ui = re.compile(r'translatable="yes"')
needed = set()
for path in sorted((root / "src").rglob("*.c")):
    if marker_c.search(path.read_text(encoding="utf-8")):
        needed.add(str(path.relative_to(root)))
for path in sorted((root / "ui").rglob("*.ui")):
    if marker_ui.search(path.read_text(encoding="utf-8")):
        needed.add(str(path.relative_to(root)))
for path in sorted((root / "data").glob("*.in")):
    needed.add(str(path.relative_to(root)))
for path in sorted((root / "data").glob("*.gschema.xml")):
    if "gettext-domain" in path.read_text(encoding="utf-8"):
        needed.add(str(path.relative_to(root)))

missing = sorted(needed - listed)
stale = sorted(p for p in listed if not (root / p).exists())
for p in missing:
    print(f"po/POTFILES.in: missing {p}, which has translatable strings")
for p in stale:
    print(f"po/POTFILES.in: {p} does not exist")
print(f"{len(listed)} files listed, {len(needed)} with translatable strings")
sys.exit(1 if missing or stale else 0)
