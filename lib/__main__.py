"""``python -m lib export <table>``: see :mod:`lib.cli`."""
import sys

from lib.cli import main

sys.exit(main())
