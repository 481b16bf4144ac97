#!/usr/bin/env python3
"""Every language in po/LINGUAS translates every message of the current sources: the template
is extracted afresh (as meson's synquant-pot target does), each .po must hold a translation for
each of its messages, with no fuzzy or untranslated entry and valid format directives. Then the
CLI, run with LANGUAGE=<lang>, must print its usage in that language."""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1])
cli = sys.argv[2]
localedir = sys.argv[3]

# The glib preset of meson's i18n module.
KEYWORDS = ["_", "N_", "C_:1c,2", "NC_:1c,2", "g_dcgettext:2", "g_dngettext:2,3",
            "g_dpgettext2:2c,3"]
FLAGS = ["N_:1:pass-c-format", "C_:2:pass-c-format", "NC_:2:pass-c-format",
         "g_dngettext:2:pass-c-format", "g_strdup_printf:1:c-format",
         "g_string_printf:2:c-format", "g_string_append_printf:2:c-format",
         "g_error_new:3:c-format", "g_set_error:4:c-format", "g_printf:1:c-format",
         "g_fprintf:2:c-format"]

failed = False
with tempfile.TemporaryDirectory() as tmp:
    pot = pathlib.Path(tmp) / "synquant.pot"
    cmd = ["xgettext", "--package-name=synquant", "--from-code=UTF-8", "--add-comments",
           "-D", str(root), "--files-from=" + str(root / "po" / "POTFILES.in"), "-o", str(pot)]
    cmd += ["--keyword=" + k for k in KEYWORDS] + ["--flag=" + f for f in FLAGS]
    subprocess.run(cmd, check=True)
    n_msgids = sum(1 for line in pot.read_text().splitlines() if line.startswith("msgid "))
    print(f"template: {n_msgids - 1} messages")

    langs = [l.strip() for l in (root / "po" / "LINGUAS").read_text().split()
             if l.strip() and not l.startswith("#")]
    if not langs:
        print("po/LINGUAS lists no language")
        failed = True
    for lang in langs:
        po = root / "po" / f"{lang}.po"
        # Every message of the sources has a translation here (untranslated ones count as missing).
        r = subprocess.run(["msgcmp", str(po), str(pot)], capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{lang}.po is missing translations:\n{r.stderr}")
            failed = True
        r = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
                           capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
        stats = r.stderr.strip()
        print(f"{lang}: {stats}")
        if r.returncode != 0 or "fuzzy" in stats or "untranslated" in stats:
            print(f"{lang}.po: msgfmt --check failed or the translation is incomplete")
            failed = True

    # The CLI speaks German with LANGUAGE=de (gettext ignores LANGUAGE in the C locale, so
    # C.UTF-8 is the locale, as in the tests' environment).
    if "de" in langs:
        env = dict(os.environ, LANGUAGE="de", LC_ALL="C.UTF-8", SYNQUANT_LOCALEDIR=localedir)
        out = subprocess.run([cli, "--help"], capture_output=True, text=True, env=env).stdout
        if "Befehle:" not in out:
            print("synquant-cli --help with LANGUAGE=de is not German:\n" + out)
            failed = True
        else:
            print("synquant-cli --help speaks German")

sys.exit(1 if failed else 0)
