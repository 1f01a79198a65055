"""`python -m bot` runs the reviewbot command line."""

import sys

from bot.cli import main

sys.exit(main())
