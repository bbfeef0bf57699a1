#!/usr/bin/env python
"""Django's command-line utility; ``backcare`` (the console script) does the same."""

from backcare.cli import main

if __name__ == "__main__":
    main()
