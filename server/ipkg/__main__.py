"""`python -m ipkg` works as the `ipkg` script."""

import sys

from .cli import main

sys.exit(main())
