"""The kg command (and `python -m dossierkg`): kg.main, with Python's cyclic garbage collector off while the
modules load. Importing makes many objects and no garbage, and the collections it would start walk them all
again (kg build of 1,000 documents, one file changed: ~15 ms of ~0.7 s); kg turns the collector on once a
command's modules are loaded, with what they made frozen."""

import gc


def main() -> None:
    gc.disable()
    from kg import main as kg_main

    kg_main()


if __name__ == "__main__":
    main()
