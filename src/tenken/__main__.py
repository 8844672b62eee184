"""``python -m tenken``: the same as the ``tenken`` command."""

from tenken.cli import main

if __name__ == "__main__":
    main()
