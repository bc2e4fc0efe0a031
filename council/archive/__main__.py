"""``python -m council.archive``: see :mod:`council.archive.importer`."""

import sys

from council.archive.importer import main

sys.exit(main())
