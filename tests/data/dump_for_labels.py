#!/usr/bin/env python3
"""Print the default corpus's articles for labelling: id, title, first ~1500 characters."""
import json, pathlib
root = pathlib.Path(__file__).resolve().parents[2]
corpus = json.loads((root / "assets/corpus.json").read_text())
for a in corpus["articles"]:
    print(f"=== {a['id']} ===")
    print("TITLE:", a["title"])
    print(a["body"][:1500])
    print()
